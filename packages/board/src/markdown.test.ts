import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { initBoard } from './board.js'
import { type BodyNode, fromXml, toXmlList } from './body-nodes.js'
import {
  bodyNodesToMarkdown,
  getTaskMarkdown,
  MAX_MARKDOWN_NESTING,
  markdownToBodyNodes,
} from './markdown.js'
import { bodyToPlainText, getTaskBody } from './rich-text.js'
import { createTask, updateTask } from './tasks.js'
import { MAX_DESCRIPTION } from './validate.js'
import { getBoardView } from './views.js'

const LINK = { target: '_blank', rel: 'noopener noreferrer nofollow', class: null, title: null }

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

function board() {
  const doc = new Y.Doc()
  initBoard(doc, { name: 'Docs' })
  return { doc, columnId: getBoardView(doc).columns[0]!.id }
}

/** Every element type in a tree of nodes. */
function types(nodes: readonly BodyNode[]): string[] {
  return nodes.flatMap((n) => ('type' in n ? [n.type, ...types(n.content ?? [])] : []))
}

function depth(nodes: readonly BodyNode[]): number {
  return Math.max(0, ...nodes.map((n) => ('type' in n ? 1 + depth(n.content ?? []) : 1)))
}

describe('Markdown to a rich-text body', () => {
  it('reads blocks and marks into the editor’s nodes', () => {
    const nodes = markdownToBodyNodes(
      [
        '# Plan',
        '',
        'Some **bold**, _it_, ~~gone~~, `x = 1` and a [link](https://example.com).',
        'Second line',
        '',
        '- one',
        '- two',
        '  1. nested',
        '',
        '> quoted',
        '',
        '```ts',
        'const a = 1',
        '```',
        '',
        '---',
      ].join('\n'),
    )
    expect(nodes).toEqual([
      { type: 'heading', attrs: { level: 1 }, content: [{ text: 'Plan' }] },
      {
        type: 'paragraph',
        content: [
          { text: 'Some ' },
          { text: 'bold', marks: { bold: {} } },
          { text: ', ' },
          { text: 'it', marks: { italic: {} } },
          { text: ', ' },
          { text: 'gone', marks: { strike: {} } },
          { text: ', ' },
          { text: 'x = 1', marks: { code: {} } },
          { text: ' and a ' },
          { text: 'link', marks: { link: { href: 'https://example.com', ...LINK } } },
          { text: '.' },
          { type: 'hardBreak' },
          { text: 'Second line' },
        ],
      },
      {
        type: 'bulletList',
        content: [
          { type: 'listItem', content: [{ type: 'paragraph', content: [{ text: 'one' }] }] },
          {
            type: 'listItem',
            content: [
              { type: 'paragraph', content: [{ text: 'two' }] },
              {
                type: 'orderedList',
                attrs: { start: 1 },
                content: [
                  {
                    type: 'listItem',
                    content: [{ type: 'paragraph', content: [{ text: 'nested' }] }],
                  },
                ],
              },
            ],
          },
        ],
      },
      {
        type: 'blockquote',
        content: [{ type: 'paragraph', content: [{ text: 'quoted' }] }],
      },
      { type: 'codeBlock', attrs: { language: 'ts' }, content: [{ text: 'const a = 1' }] },
      { type: 'horizontalRule' },
    ])
  })

  it('keeps raw HTML as text and never links to an unsafe address', () => {
    const nodes = markdownToBodyNodes(
      '<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> [x](javascript:alert(1)) ![a](data:x)',
    )
    expect(types(nodes)).toEqual(['paragraph', 'paragraph'])
    expect(JSON.stringify(nodes)).not.toContain('"link"')
    expect(bodyToPlainText(bodyOf(nodes))).toBe(
      '<script>alert(1)</script>\nHi <img src=x onerror=alert(1)> x a',
    )
  })

  it('keeps task items, tables and mentions as text the editor shows', () => {
    const md = '- [ ] write\n- [x] ship\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n<@u1> look'
    const nodes = markdownToBodyNodes(md)
    expect(bodyToPlainText(bodyOf(nodes))).toBe(
      '[ ] write\n[x] ship\n| a | b |\n| - | - |\n| 1 | 2 |\n<@u1> look',
    )
    // The task items come back as task items.
    expect(bodyNodesToMarkdown(nodes)).toMatch(/^- \[ \] write\n- \[x\] ship\n/)
  })

  it('flattens nesting past the limit and keeps the text', () => {
    const nodes = markdownToBodyNodes(`${'>'.repeat(5_000)} deep\n\n${'- '.repeat(2_000)}x`)
    expect(depth(nodes)).toBeLessThanOrEqual(3 * MAX_MARKDOWN_NESTING + 4)
    const text = bodyToPlainText(bodyOf(nodes))
    expect(text).toContain('deep')
    expect(text).toContain('x')
  })

  it('reads a description of the largest size allowed, of nasty shapes, in reasonable time', () => {
    const shapes = [
      '*'.repeat(MAX_DESCRIPTION),
      '['.repeat(MAX_DESCRIPTION),
      '> - '.repeat(MAX_DESCRIPTION / 4),
      '<div>'.repeat(MAX_DESCRIPTION / 5),
      `${'- '.repeat(10_000)}x`,
    ]
    for (const md of shapes) {
      const t0 = performance.now()
      const nodes = markdownToBodyNodes(md)
      expect(bodyToPlainText(bodyOf(nodes)).length).toBeGreaterThan(0)
      bodyNodesToMarkdown(nodes)
      // Generous for a loaded box: a quadratic parser takes minutes here.
      expect(performance.now() - t0).toBeLessThan(20_000)
    }
  }, 120_000)
})

function bodyOf(nodes: readonly BodyNode[]): Y.XmlFragment {
  const doc = new Y.Doc()
  const f = doc.getXmlFragment('body')
  f.insert(0, toXmlList(nodes))
  return f
}

describe('a rich-text body to Markdown', () => {
  it('round-trips every node and mark the editor writes', () => {
    const nodes: BodyNode[] = [
      { type: 'heading', attrs: { level: 2 }, content: [{ text: 'Goals' }] },
      {
        type: 'paragraph',
        content: [
          { text: 'a ' },
          { text: 'b', marks: { bold: {}, italic: {} } },
          { text: ' *not bold* # ' },
          { text: 'l', marks: { link: { href: 'https://x.dev/a_b', ...LINK } } },
          { type: 'hardBreak' },
          { text: '1. not a list' },
        ],
      },
      {
        type: 'orderedList',
        attrs: { start: 3 },
        content: [
          { type: 'listItem', content: [{ type: 'paragraph', content: [{ text: 'three' }] }] },
        ],
      },
      {
        type: 'blockquote',
        content: [
          { type: 'paragraph', content: [{ text: 'q', marks: { code: {} } }] },
          { type: 'codeBlock', content: [{ text: '```\nfenced' }] },
        ],
      },
      { type: 'horizontalRule' },
    ]
    const md = bodyNodesToMarkdown(nodes)
    expect(markdownToBodyNodes(md)).toEqual(nodes)
  })

  it('writes a mention as its <@id> token', () => {
    const md = bodyNodesToMarkdown([
      {
        type: 'paragraph',
        content: [
          { type: 'mention', attrs: { id: 'u-1', label: 'Ada', mentionSuggestionChar: '@' } },
          { text: ' please' },
        ],
      },
    ])
    expect(md).toBe('<@u-1> please')
  })

  it('reads a line ending inside a code span as a space, as CommonMark does', () => {
    // Found by the property below (seed 846318854): "`\n#`" came back as "` #`".
    const once = markdownToBodyNodes('`a\n#`')
    expect(once).toEqual([{ type: 'paragraph', content: [{ text: 'a #', marks: { code: {} } }] }])
    expect(markdownToBodyNodes(bodyNodesToMarkdown(once))).toEqual(once)
  })

  // Round-trip defects the property below found with random seeds (2026-12-05).
  const roundTrips = (md: string) => {
    const once = markdownToBodyNodes(md)
    expect(markdownToBodyNodes(bodyNodesToMarkdown(once))).toEqual(once)
    return once
  }
  const linked = (href: string) => ({ link: { href, ...LINK } })

  it('writes a link as <address> only where CommonMark reads that as a link (a@.a)', () => {
    // GFM links the email "a@.a"; CommonMark's <…> does not take a domain starting with a dot,
    // so "<a@.a>" read back as "<", a link, ">".
    expect(roundTrips('a@.a')).toEqual([
      { type: 'paragraph', content: [{ text: 'a@.a', marks: linked('mailto:a@.a') }] },
    ])
    expect(bodyNodesToMarkdown(markdownToBodyNodes('a@.a'))).toBe('[a@.a](mailto:a@.a)')
    // Addresses CommonMark does autolink keep the short form.
    expect(bodyNodesToMarkdown(markdownToBodyNodes('ada@example.com https://a.b'))).toBe(
      '<ada@example.com> <https://a.b>',
    )
  })

  it('writes a line break right after a task box so it reads back ("- [ ]  \\na")', () => {
    // The box leaves an empty run before the break; the break was written as a bare newline,
    // which a paragraph's start swallows.
    const once = roundTrips('- [ ]  \na')
    expect(once).toEqual([
      {
        type: 'bulletList',
        content: [
          {
            type: 'listItem',
            content: [
              {
                type: 'paragraph',
                content: [{ text: '[ ] ' }, { type: 'hardBreak' }, { text: 'a' }],
              },
            ],
          },
        ],
      },
    ])
    expect(bodyNodesToMarkdown(once)).toBe('- [ ] \\\n  a')
  })

  it('links addresses in text kept as text, as a re-read would (<!https://a.b)', () => {
    // "<!https://a.b" is an HTML block, kept as text; written back it is a paragraph, where GFM
    // links the address (escaping "https\\://" does not stop it). So the first read links it.
    expect(roundTrips('<!https://a.b')).toEqual([
      {
        type: 'paragraph',
        content: [{ text: '<!' }, { text: 'https://a.b', marks: linked('https://a.b') }],
      },
    ])
    // The words of a link whose address is not linked, and a table's source, alike.
    expect(roundTrips('[see https://a.b](x)')).toEqual([
      {
        type: 'paragraph',
        content: [{ text: 'see ' }, { text: 'https://a.b', marks: linked('https://a.b') }],
      },
    ])
    expect(JSON.stringify(roundTrips('| a |\n| - |\n| www.a.b |'))).toContain(
      '"href":"http://www.a.b"',
    )
    // Never an unsafe address: GFM's xmpp literals are not linked.
    const hrefs = JSON.stringify(roundTrips('<b>xmpp:a@b.c/r</b>')).match(/"href":"[^"]*"/g)
    expect(hrefs?.every((h) => /"href":"(https?|mailto):/.test(h)) ?? true).toBe(true)
  })

  it('writes a list item that opens with a rule as one item (- ***)', () => {
    // The reader gives the item an empty first paragraph (the editor needs one); written as an
    // empty first line, the rule fell out of the list.
    expect(roundTrips('- ***')).toEqual([
      {
        type: 'bulletList',
        content: [
          {
            type: 'listItem',
            content: [{ type: 'paragraph', content: [{ text: '' }] }, { type: 'horizontalRule' }],
          },
        ],
      },
    ])
  })

  it('is stable: Markdown read and written reads back to the same body', () => {
    const alphabet = fc.constantFrom(
      ...'ab \n\n*_~`#->[]()!<@x:/.|\\1'.split(''),
      'https://a.b',
      '- [ ] ',
      '```',
      '**',
      '    ',
    )
    // A fresh seed each run (fast-check prints it on failure; replay with FC_SEED=<n>). The
    // defects random seeds found are fixed, each with an example test above; checked over
    // 20 runs of 500 draws and 400 more seeds (2026-12-05).
    const seed = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) }
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (parts) => {
        const once = markdownToBodyNodes(parts.join(''))
        expect(markdownToBodyNodes(bodyNodesToMarkdown(once))).toEqual(once)
      }),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 500), ...seed },
    )
  })
})

describe('tasks with a Markdown description', () => {
  it('creates the body from Markdown and reads it back', () => {
    const { doc, columnId } = board()
    const md = '## Steps\n\n- [ ] one\n- two **now**'
    const { id } = must(createTask(doc, { columnId, title: 'T', descriptionMarkdown: md }))
    expect(getTaskMarkdown(doc, id)).toBe(md)
    const body = getTaskBody(doc, id)!
    expect(body.toArray().map((n) => (n as Y.XmlElement).nodeName)).toEqual([
      'heading',
      'bulletList',
    ])
  })

  it('refuses Markdown over the description limit, and both forms at once', () => {
    const { doc, columnId } = board()
    const big = 'x'.repeat(MAX_DESCRIPTION + 1)
    expect(createTask(doc, { columnId, title: 'T', descriptionMarkdown: big }).ok).toBe(false)
    const both = createTask(doc, {
      columnId,
      title: 'T',
      description: 'a',
      descriptionMarkdown: 'a',
    })
    expect(both.ok).toBe(false)
    expect(getBoardView(doc).columns[0]!.tasks).toHaveLength(0)
  })

  it('keeps unchanged blocks (and their mention nodes) when the Markdown changes', () => {
    const { doc, columnId } = board()
    const { id } = must(
      createTask(doc, { columnId, title: 'T', descriptionMarkdown: 'intro\n\nmiddle\n\nend' }),
    )
    const body = getTaskBody(doc, id)!
    // A teammate's editor turned "intro" into a mention + text.
    const first = body.get(0) as Y.XmlElement
    doc.transact(() => {
      const mention = new Y.XmlElement('mention')
      mention.setAttribute('id', 'u1')
      mention.setAttribute('label', 'Ada')
      first.insert(0, [mention])
    })
    const before = body.toArray()
    const md = getTaskMarkdown(doc, id)!
    expect(md).toBe('<@u1>intro\n\nmiddle\n\nend')

    let updates = 0
    doc.on('update', () => updates++)
    must(updateTask(doc, id, { descriptionMarkdown: md }))
    // Only updatedAt: the body is untouched.
    expect(body.toArray()).toEqual(before)

    must(updateTask(doc, id, { descriptionMarkdown: '<@u1>intro\n\n- changed\n\nend' }))
    const after = body.toArray()
    expect(after[0]).toBe(before[0])
    expect(after[2]).toBe(before[2])
    expect(fromXml(after[1]!)).toEqual([
      {
        type: 'bulletList',
        content: [
          { type: 'listItem', content: [{ type: 'paragraph', content: [{ text: 'changed' }] }] },
        ],
      },
    ])
    expect(updates).toBe(2)
  })
})
