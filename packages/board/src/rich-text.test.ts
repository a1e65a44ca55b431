import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { parseMentions } from './comments.js'
import { bodyToPlainText, getTaskBody, getTaskDescription } from './rich-text.js'
import { getTask } from './subtasks.js'
import { createTask, editTaskText, getTaskText, updateTask } from './tasks.js'
import { writeV1Task } from './test/legacy.js'
import { columnIds, replicas } from './test/replicas.js'

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

// Builds Y.Xml nodes the way y-prosemirror writes TipTap nodes: node name, non-null attrs,
// text runs with marks as formatting attributes.
type Spec = string | { text: string; marks?: Record<string, object> } | Node
interface Node {
  node: string
  attrs?: Record<string, unknown>
  content?: Spec[]
}
function xml(spec: Node): Y.XmlElement {
  const el = new Y.XmlElement(spec.node)
  for (const [k, v] of Object.entries(spec.attrs ?? {})) el.setAttribute(k, v as string)
  const children = (spec.content ?? []).map((c) => {
    if (typeof c === 'string') return new Y.XmlText(c)
    if ('text' in c) {
      const t = new Y.XmlText()
      t.applyDelta([{ insert: c.text, attributes: c.marks }])
      return t
    }
    return xml(c)
  })
  el.insert(0, children)
  return el
}

/** A body holding `blocks` in a fresh document, as an editor would have left it. */
function bodyWith(...blocks: Node[]): Y.XmlFragment {
  const doc = new Y.Doc()
  const body = doc.getXmlFragment('body')
  body.insert(0, blocks.map(xml))
  return body
}

const p = (...content: Spec[]): Node => ({ node: 'paragraph', content })
const li = (...content: Spec[]): Node => ({ node: 'listItem', content: [p(...content)] })

describe('bodyToPlainText', () => {
  it('puts each block, list item and quoted paragraph on its own line and drops marks', () => {
    const body = bodyWith(
      {
        node: 'heading',
        attrs: { level: 2 },
        content: ['Release ', { text: 'plan', marks: { bold: {} } }],
      },
      { node: 'bulletList', content: [li('first'), li({ text: 'second', marks: { italic: {} } })] },
      { node: 'orderedList', attrs: { start: 1 }, content: [li('one'), li('two')] },
      { node: 'blockquote', content: [p('quoted')] },
      { node: 'horizontalRule' },
      { node: 'codeBlock', content: ['npm test\nnpm run build'] },
      p('see ', { text: 'docs', marks: { link: { href: 'https://example.com' }, code: {} } }),
    )
    expect(bodyToPlainText(body)).toBe(
      [
        'Release plan',
        'first',
        'second',
        'one',
        'two',
        'quoted',
        '---',
        'npm test',
        'npm run build',
        'see docs',
      ].join('\n'),
    )
  })

  it('writes a hard break as a line break and an empty paragraph as an empty line', () => {
    const body = bodyWith(p('line one', { node: 'hardBreak' }, 'line two'), p(), p('after'))
    expect(bodyToPlainText(body)).toBe('line one\nline two\n\nafter')
  })

  it('writes mention nodes as user-id tokens, so parseMentions finds them next to typed ones', () => {
    const body = bodyWith(
      p('ask ', { node: 'mention', attrs: { id: 'u-bob', label: 'Bob' } }, ' and <@u-cat>'),
      {
        node: 'bulletList',
        content: [li({ node: 'mention', attrs: { id: 'u-dan', label: 'Dan' } })],
      },
    )
    expect(bodyToPlainText(body)).toBe('ask <@u-bob> and <@u-cat>\n<@u-dan>')
    expect(parseMentions(bodyToPlainText(body))).toEqual(['u-bob', 'u-cat', 'u-dan'])
  })

  it('reads an unknown node by its content: text makes a line, blocks are walked into', () => {
    const body = bodyWith(
      { node: 'callout', content: ['inline text'] },
      { node: 'details', content: [p('summary'), p('more')] },
    )
    expect(bodyToPlainText(body)).toBe('inline text\nsummary\nmore')
  })
})

describe('task bodies', () => {
  it('createTask writes one paragraph per line exactly as the editor writes them', () => {
    const [doc] = replicas(1)
    const id = must(
      createTask(doc!, { columnId: columnIds(doc!)[0]!, title: 'T', description: 'a\r\n\nb' }),
    ).id
    const body = getTaskBody(doc!, id)!
    // An empty paragraph still holds an (empty) text: two editors typing its first letters
    // at once type into that one Y.XmlText instead of each creating its own.
    expect(body.toJSON()).toBe(
      '<paragraph>a</paragraph><paragraph></paragraph><paragraph>b</paragraph>',
    )
    expect(body.toArray().map((b) => (b as Y.XmlElement).length)).toEqual([1, 1, 1])
    expect(getTask(doc!, id)).toMatchObject({ description: 'a\n\nb', richBody: true })
  })

  it('a task without a description still has one empty paragraph to type into', () => {
    const [doc] = replicas(1)
    const id = must(createTask(doc!, { columnId: columnIds(doc!)[0]!, title: 'T' })).id
    expect(getTaskBody(doc!, id)!.toJSON()).toBe('<paragraph></paragraph>')
    must(updateTask(doc!, id, { description: 'x\ny' }))
    must(updateTask(doc!, id, { description: '' }))
    expect(getTaskBody(doc!, id)!.length).toBe(1)
    expect(getTask(doc!, id)!.description).toBe('')
  })

  it('is undefined for unknown tasks and for tasks from schema v1, which keep a Y.Text', () => {
    const [doc] = replicas(1)
    const id = writeV1Task(doc!, { columnId: columnIds(doc!)[0]!, title: 'Old', description: 'd' })
    expect(getTaskBody(doc!, 'nope')).toBeUndefined()
    expect(getTaskBody(doc!, id)).toBeUndefined()
    expect(getTaskText(doc!, id, 'description')!.toString()).toBe('d')
    must(updateTask(doc!, id, { description: 'd2' }))
    expect(getTask(doc!, id)).toMatchObject({ description: 'd2', richBody: false })
  })

  it('refuses character edits of a rich description, pointing to the body', () => {
    const [doc] = replicas(1)
    const id = must(createTask(doc!, { columnId: columnIds(doc!)[0]!, title: 'T' })).id
    const r = editTaskText(doc!, id, 'description', { index: 0, insert: 'x' })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid' } })
    if (!r.ok) expect(r.error.message).toMatch(/getTaskBody/)
  })
})

describe('updateTask description on a body (whole-value write)', () => {
  function taskWith(...blocks: Node[]) {
    const [doc] = replicas(1)
    const id = must(createTask(doc!, { columnId: columnIds(doc!)[0]!, title: 'T' })).id
    const body = getTaskBody(doc!, id)!
    doc!.transact(() => {
      body.delete(0, body.length)
      body.insert(0, blocks.map(xml))
    })
    return { doc: doc!, id, body }
  }

  it('writes nothing to the body when the plain text is unchanged', () => {
    const { doc, id, body } = taskWith(p({ text: 'keep', marks: { bold: {} } }), p('me'))
    let bodyChanges = 0
    body.observeDeep(() => bodyChanges++)
    must(updateTask(doc, id, { description: 'keep\r\nme' }))
    expect(bodyChanges).toBe(0)
  })

  it('edits a changed paragraph in place, keeping its type, marks and the blocks around it', () => {
    const { doc, id, body } = taskWith(
      { node: 'heading', attrs: { level: 1 }, content: [{ text: 'Plan', marks: { bold: {} } }] },
      { node: 'bulletList', content: [li('a'), li({ node: 'mention', attrs: { id: 'u1' } })] },
      p('last'),
    )
    must(updateTask(doc, id, { description: 'Plan B\na\n<@u1>\nlast' }))
    expect(body.toJSON()).toBe(
      // (toJSON writes node names in lower case; they are stored as given.)
      '<heading level="1"><bold>Plan B</bold></heading>' +
        '<bulletlist><listitem><paragraph>a</paragraph></listitem>' +
        '<listitem><paragraph><mention id="u1"></mention></paragraph></listitem></bulletlist>' +
        '<paragraph>last</paragraph>',
    )
  })

  it('replaces changed blocks it cannot edit by characters with plain paragraphs', () => {
    const list = { node: 'bulletList', content: [li('a'), li('b')] }
    const { doc, id, body } = taskWith(p('intro'), list, p({ text: 'outro', marks: { bold: {} } }))
    // An added line between kept blocks is a new paragraph; the list stays a list.
    must(updateTask(doc, id, { description: 'intro\na\nb\nc\noutro' }))
    expect(body.toJSON()).toBe(
      '<paragraph>intro</paragraph>' +
        '<bulletlist><listitem><paragraph>a</paragraph></listitem>' +
        '<listitem><paragraph>b</paragraph></listitem></bulletlist>' +
        '<paragraph>c</paragraph><paragraph><bold>outro</bold></paragraph>',
    )
    // A changed list item cannot be edited as a line: the list becomes paragraphs.
    must(updateTask(doc, id, { description: 'intro\na\nB\nc\noutro' }))
    expect(body.toJSON()).toBe(
      '<paragraph>intro</paragraph><paragraph>a</paragraph><paragraph>B</paragraph>' +
        '<paragraph>c</paragraph><paragraph><bold>outro</bold></paragraph>',
    )
    must(updateTask(doc, id, { description: 'intro\noutro' }))
    expect(body.toJSON()).toBe(
      '<paragraph>intro</paragraph><paragraph><bold>outro</bold></paragraph>',
    )
    expect(getTask(doc, id)!.description).toBe('intro\noutro')
  })
})

describe('getTaskDescription', () => {
  it("reads one task's description as getTask does, and nothing for an unknown task", () => {
    const [doc] = replicas(1) as [Y.Doc]
    const id = must(
      createTask(doc, { columnId: columnIds(doc)[0]!, title: 'T', description: '# Plan\n- a' }),
    ).id
    expect(getTaskDescription(doc, id)).toBe('# Plan\n- a')
    expect(getTaskDescription(doc, id)).toBe(getTask(doc, id)!.description)
    expect(getTaskDescription(doc, 'missing')).toBeUndefined()
  })
})
