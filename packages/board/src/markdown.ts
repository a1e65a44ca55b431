import type * as M from 'mdast'
import { fromMarkdown } from 'mdast-util-from-markdown'
import { gfmFromMarkdown, gfmToMarkdown } from 'mdast-util-gfm'
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal'
import {
  defaultHandlers,
  type Handle,
  type Info,
  type State,
  toMarkdown,
} from 'mdast-util-to-markdown'
import { toString as mdastText } from 'mdast-util-to-string'
import { gfm } from 'micromark-extension-gfm'
import type * as Y from 'yjs'
import { type BodyNode, fromXml, toXmlList } from './body-nodes.js'
import { installMarkdownCodec } from './markdown-codec.js'
import { bodyOf } from './rich-text.js'
import { roots, text } from './schema.js'

/*
 * Markdown ⇄ a task's rich-text body (docs/document-schema.md "Rich-text bodies"), for the
 * task API and imports. The body holds what the app's editor (TipTap StarterKit + Mention)
 * knows: paragraph, heading (levels 1–3), bulletList / orderedList / listItem, blockquote,
 * codeBlock, horizontalRule, hardBreak, mention; marks bold, italic, strike, code, link.
 * Markdown is parsed as CommonMark + GFM by micromark (mdast-util-from-markdown); nothing in
 * it is ever executed or interpreted as HTML: raw HTML stays text, links keep only http(s)
 * and mailto addresses. What the editor lacks keeps its text: a GFM task item is a list item
 * starting `[ ] ` / `[x] ` (written back as a task item), a table or footnote is its source
 * lines, an image is a link to it named by its alt text, headings 4–6 are level 3.
 * A line break inside a paragraph is a line break (hardBreak), as in comments and Trello.
 * Mentions stay text: `<@userId>` in Markdown is text; a mention node is written as it.
 */

/** Node names and mark attributes exactly as y-prosemirror writes them for the editor. */
const LINK_DEFAULTS = { target: '_blank', rel: 'noopener noreferrer nofollow', class: null }

/**
 * Containers (quotes, lists) nested deeper than this are flattened into their parent: the
 * text is kept, the indentation is not. Editors and renderers recurse per level.
 */
export const MAX_MARKDOWN_NESTING = 12

type Marks = Record<string, unknown>

const SAFE_URL = /^(https?:\/\/|mailto:)/i
const LANGUAGE = /^[\w+#.-]{1,32}$/

function safeUrl(url: string | null | undefined): string | null {
  const u = (url ?? '').trim()
  return SAFE_URL.test(u) ? u : null
}

const paragraph = (content: BodyNode[]): BodyNode => ({
  type: 'paragraph',
  // An empty text run, as the model writes it: the text an editor types into.
  content: runs(content),
})

/**
 * A Markdown text as body nodes, ready for `importTasks({ body })` or a body fragment.
 * Always at least one block.
 * @example markdownToBodyNodes('# Plan\n\n- [ ] write **tests**')
 */
export function markdownToBodyNodes(markdown: string): BodyNode[] {
  const source = typeof markdown === 'string' ? markdown : ''
  let tree: M.Root
  // Thousands of nested quote or list markers cost the parser quadratic time and overflow
  // its recursion (and ours): such a text keeps its lines, one paragraph each.
  if (DEEP_PREFIX.test(source)) return plainLines(source)
  try {
    tree = fromMarkdown(source, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] })
  } catch {
    // Nesting thousands deep overflows the parser's recursion: keep the text, one
    // paragraph per line, rather than refuse it.
    return plainLines(source)
  }
  const definitions = new Map<string, M.Definition>()
  collectDefinitions(tree, definitions)
  const reader = new Reader(source, definitions)
  const out = reader.blocks(tree.children, 0)
  return out.length > 0 ? out : [paragraph([])]
}

const DEEP_PREFIX = new RegExp(`^[ \\t>*+\\-\\d.)]{${8 * MAX_MARKDOWN_NESTING},}`, 'm')

function plainLines(source: string): BodyNode[] {
  return source.split(/\r\n?|\n/).map((line) => paragraph(line ? [{ text: line }] : []))
}

function collectDefinitions(node: M.Nodes, into: Map<string, M.Definition>): void {
  if (node.type === 'definition') {
    if (!into.has(node.identifier)) into.set(node.identifier, node)
    return
  }
  if ('children' in node) for (const c of node.children) collectDefinitions(c, into)
}

class Reader {
  constructor(
    readonly source: string,
    readonly definitions: ReadonlyMap<string, M.Definition>,
  ) {}

  blocks(nodes: readonly M.Nodes[], depth: number): BodyNode[] {
    return nodes.flatMap((n) => this.block(n, depth))
  }

  block(node: M.Nodes, depth: number): BodyNode[] {
    switch (node.type) {
      case 'paragraph':
        return [paragraph(this.inline(node.children, {}))]
      case 'heading':
        return [
          {
            type: 'heading',
            attrs: { level: Math.min(node.depth, 3) },
            content: runs(this.inline(node.children, {})),
          },
        ]
      case 'thematicBreak':
        return [{ type: 'horizontalRule' }]
      case 'code': {
        const lang = node.lang && LANGUAGE.test(node.lang) ? node.lang : null
        return [
          {
            type: 'codeBlock',
            ...(lang ? { attrs: { language: lang } } : {}),
            content: [{ text: node.value }],
          },
        ]
      }
      case 'blockquote': {
        const inner = this.blocks(node.children, depth + 1)
        if (depth >= MAX_MARKDOWN_NESTING) return inner
        return [{ type: 'blockquote', content: inner.length > 0 ? inner : [paragraph([])] }]
      }
      case 'list': {
        if (depth >= MAX_MARKDOWN_NESTING) {
          return node.children.flatMap((item) => this.listItem(item, depth + 1))
        }
        return [
          {
            type: node.ordered ? 'orderedList' : 'bulletList',
            ...(node.ordered ? { attrs: { start: node.start ?? 1 } } : {}),
            content: node.children.map((item) => ({
              type: 'listItem',
              content: this.listItem(item, depth + 1),
            })),
          },
        ]
      }
      case 'html':
        return [paragraph(textLines(node.value, {}))]
      case 'definition':
        // Used by the links that name it; shows nothing in Markdown either.
        return []
      default: {
        // A table, a footnote, anything the editor has no node for: its source, as text.
        const start = node.position?.start.offset
        const end = node.position?.end.offset
        const text = start !== undefined && end !== undefined ? this.source.slice(start, end) : ''
        return text.length > 0 ? [paragraph(textLines(text, {}))] : []
      }
    }
  }

  // A list item's blocks, starting with a paragraph (the editor's listItem needs one); a GFM
  // task item's box as text.
  listItem(item: M.ListItem, depth: number): BodyNode[] {
    const inner = this.blocks(item.children, depth)
    const first = inner[0]
    const box = item.checked === true ? '[x] ' : item.checked === false ? '[ ] ' : ''
    if (!first || !('type' in first) || first.type !== 'paragraph') {
      inner.unshift(paragraph(box ? [{ text: box }] : []))
    } else if (box) {
      first.content = runs(
        [{ text: box }, ...(first.content ?? [])].filter((n) => !('text' in n) || n.text !== ''),
      )
    }
    return inner
  }

  inline(nodes: readonly M.Nodes[], marks: Marks): BodyNode[] {
    const out: BodyNode[] = []
    for (const n of nodes) this.phrasing(n, marks, out)
    return out
  }

  phrasing(node: M.Nodes, marks: Marks, out: BodyNode[]): void {
    switch (node.type) {
      case 'text':
      case 'html':
        out.push(...textLines(node.value, marks))
        return
      case 'strong':
        for (const c of node.children) this.phrasing(c, { ...marks, bold: {} }, out)
        return
      case 'emphasis':
        for (const c of node.children) this.phrasing(c, { ...marks, italic: {} }, out)
        return
      case 'delete':
        for (const c of node.children) this.phrasing(c, { ...marks, strike: {} }, out)
        return
      case 'inlineCode':
        // The editor's code mark excludes every other mark: inside a link the link wins.
        // A line ending inside a code span is a space (CommonMark 6.1); mdast keeps it, and a
        // run of text holds no line break, so writing it back would change the body.
        out.push(
          run(
            node.value.replace(/\r\n|\r|\n/g, ' '),
            marks.link ? { link: marks.link } : { code: {} },
          ),
        )
        return
      case 'break':
        out.push({ type: 'hardBreak' })
        return
      case 'link':
        this.linked(node.children, safeUrl(node.url), node.title, marks, out)
        return
      case 'linkReference': {
        const def = this.definitions.get(node.identifier)
        this.linked(node.children, safeUrl(def?.url), def?.title, marks, out)
        return
      }
      case 'image':
      case 'imageReference': {
        const def = node.type === 'imageReference' ? this.definitions.get(node.identifier) : null
        const url = node.type === 'image' ? node.url : def?.url
        const href = safeUrl(url)
        const label = node.alt || url || ''
        const title = node.type === 'image' ? node.title : def?.title
        if (label) this.linked([{ type: 'text', value: label }], href, title, marks, out)
        return
      }
      case 'footnoteReference':
        out.push(run(`[^${node.label ?? node.identifier}]`, marks))
        return
      default:
        if ('children' in node) for (const c of node.children) this.phrasing(c, marks, out)
        else if ('value' in node && typeof node.value === 'string') {
          out.push(...textLines(node.value, marks))
        }
    }
  }

  linked(
    children: readonly M.Nodes[],
    href: string | null,
    title: string | null | undefined,
    marks: Marks,
    out: BodyNode[],
  ): void {
    // An unsafe or relative address keeps its text and loses the link.
    const inner = href
      ? { ...marks, link: { href, ...LINK_DEFAULTS, title: title ?? null } }
      : marks
    for (const c of children) this.phrasing(c, inner, out)
  }
}

function run(text: string, marks: Marks): BodyNode {
  return Object.keys(marks).length > 0 ? { text, marks } : { text }
}

// Text with line breaks (soft breaks, raw HTML, source of a table) as runs and hardBreaks.
function textLines(value: string, marks: Marks): BodyNode[] {
  const out: BodyNode[] = []
  value.split(/\r\n?|\n/).forEach((line, i) => {
    if (i > 0) out.push({ type: 'hardBreak' })
    if (line.length > 0) out.push(run(line, marks))
  })
  return out
}

/**
 * A block's inline content as the editor stores it (neighbouring runs with the same marks as
 * one run), where unlinked text that GFM reads as a link (an autolink literal: `https://…`,
 * `www.…`, an email) is that link. Such text comes from what is kept as text (raw HTML, a
 * table's source, the words of an unsafe link or image): written back as Markdown it is
 * plain text, and GFM finds its literals after escapes are decoded (`https\://a.b` is
 * still a link), so no spelling of it reads back unlinked. Linking it here keeps
 * read → write → read stable. Literals are found per run, as a re-read finds them per text
 * node (a run with other marks is its own node).
 */
function runs(content: BodyNode[]): BodyNode[] {
  const merged = nonEmpty(content)
  if (!merged.some(mayHoldLiteral)) return merged
  return nonEmpty(merged.flatMap((n) => (mayHoldLiteral(n) ? linkLiterals(n) : [n])))
}

const [findLiterals] = gfmAutolinkLiteralFromMarkdown().transforms ?? []
const LITERAL_HINT = /https?:\/\/|www\.|@/i

function mayHoldLiteral(n: BodyNode): n is { text: string; marks?: Marks } {
  return 'text' in n && !n.marks?.link && !n.marks?.code && LITERAL_HINT.test(n.text)
}

// One run split at its GFM autolink literals, found by mdast-util-gfm's own finder; a
// literal with an address we do not link (xmpp:) stays text, as it does when read.
function linkLiterals(n: { text: string; marks?: Marks }): BodyNode[] {
  const marks = n.marks ?? {}
  const para: M.Paragraph = { type: 'paragraph', children: [{ type: 'text', value: n.text }] }
  findLiterals?.({ type: 'root', children: [para] })
  return para.children.map((c) => {
    const href = c.type === 'link' ? safeUrl(c.url) : null
    const text = mdastText(c)
    return href
      ? run(text, { ...marks, link: { href, ...LINK_DEFAULTS, title: null } })
      : run(text, marks)
  })
}

// Neighbouring runs with the same marks as one run, as the editor stores them.
function nonEmpty(content: BodyNode[]): BodyNode[] {
  const out: BodyNode[] = []
  for (const n of content) {
    const prev = out[out.length - 1]
    if (prev && 'text' in prev && 'text' in n && sameMarks(prev.marks, n.marks)) {
      out[out.length - 1] = { ...prev, text: prev.text + n.text }
    } else out.push(n)
  }
  return out.length > 0 ? out : [{ text: '' }]
}

function sameMarks(a: Marks | undefined, b: Marks | undefined): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b ?? {})
}

// ---------------------------------------------------------------------------------------
// Body → Markdown

const MARK_ORDER = ['link', 'bold', 'italic', 'strike'] as const
const TASK_BOX = /^\[( |x|X)\] /

/**
 * Body nodes as Markdown (CommonMark + GFM), the inverse of `markdownToBodyNodes`: reading
 * the result back gives the same nodes, except that mentions become `<@userId>` text, a
 * line break in a level-3 heading a space, and empty paragraphs go.
 * @example bodyNodesToMarkdown(readBodyNodes(doc, id) ?? [])
 */
export function bodyNodesToMarkdown(nodes: readonly BodyNode[]): string {
  const root: M.Root = { type: 'root', children: toBlocks(nodes) as M.RootContent[] }
  return toMarkdown(root, {
    extensions: [gfmToMarkdown()],
    bullet: '-',
    emphasis: '_',
    strong: '*',
    fence: '`',
    fences: true,
    rule: '-',
    listItemIndent: 'one',
    handlers: { break: lineBreak, link },
  }).replace(/\n+$/, '')
}

/** A task body as Markdown (see bodyNodesToMarkdown). */
export function bodyToMarkdown(fragment: Y.XmlFragment): string {
  return bodyNodesToMarkdown(fragment.toArray().flatMap(fromXml))
}

// A line break as a plain newline where that reads back as one (the way people write them),
// else Markdown's `\` + newline.
const lineBreak: Handle = (node, parent, state, info) => {
  const out = defaultHandlers.break(node as M.Break, parent, state, info)
  if (out !== '\\\n' || !parent || !('children' in parent)) return out
  const siblings = parent.children as readonly M.Nodes[]
  const at = siblings.indexOf(node as M.Break)
  const prev = siblings[at - 1]
  const next = siblings[at + 1]
  // A newline at the start or end of a paragraph, or a blank line, would not read back.
  if (!prev || prev.type === 'break' || !next || next.type === 'break') return out
  const first = firstChar(next)
  return first !== null && /\S/.test(first) ? '\n' : out
}

// CommonMark's autolinks (spec 6.5): `<scheme:…>` and `<email>`. mdast-util-to-markdown writes
// a link whose text is its address as `<…>` without checking these, and GFM finds emails
// CommonMark does not (`a@.a`): `<a@.a>` would read back as text around a link.
const AUTOLINK_URI = /^[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\0- <>\u007F]*$/
const AUTOLINK_EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/

function autolinkReadsBack(node: M.Link): boolean {
  const raw = mdastText(node)
  if (raw === node.url) return AUTOLINK_URI.test(raw)
  if (`mailto:${raw}` === node.url) return AUTOLINK_EMAIL.test(raw)
  return true // not written as an autolink at all
}

// A link as `<…>` only when that reads back as the same link, else as `[text](url)`.
function asResourceUnlessAutolink<T>(node: M.Link, state: State, write: () => T): T {
  if (autolinkReadsBack(node)) return write()
  const saved = state.options.resourceLink
  state.options.resourceLink = true
  try {
    return write()
  } finally {
    state.options.resourceLink = saved
  }
}

const link: typeof defaultHandlers.link = Object.assign(
  (node: M.Link, parent: M.Parents | undefined, state: State, info: Info) =>
    asResourceUnlessAutolink(node, state, () => defaultHandlers.link(node, parent, state, info)),
  {
    peek: (node: M.Link, parent: M.Parents | undefined, state: State) =>
      asResourceUnlessAutolink(node, state, () => defaultHandlers.link.peek(node, parent, state)),
  },
)

function firstChar(node: M.Nodes): string | null {
  if ('value' in node && typeof node.value === 'string') return node.value.slice(0, 1) || null
  if ('children' in node && node.children.length > 0) return firstChar(node.children[0]!)
  return null
}

type Element = Extract<BodyNode, { type: string }>

function toBlocks(nodes: readonly BodyNode[]): M.Nodes[] {
  const out: M.Nodes[] = []
  for (const n of nodes) {
    if (!('type' in n)) {
      out.push({ type: 'paragraph', children: toPhrasing([n]) })
      continue
    }
    out.push(...toBlock(n))
  }
  return out
}

function toBlock(n: Element): M.Nodes[] {
  const content = n.content ?? []
  switch (n.type) {
    case 'paragraph':
      return [{ type: 'paragraph', children: toPhrasing(content) }]
    case 'heading': {
      const level = Number(n.attrs?.level)
      const depth = (level >= 1 && level <= 6 ? level : 1) as M.Heading['depth']
      return [{ type: 'heading', depth, children: toPhrasing(content) }]
    }
    case 'horizontalRule':
      return [{ type: 'thematicBreak' }]
    case 'codeBlock': {
      const lang = n.attrs?.language
      return [
        {
          type: 'code',
          lang: typeof lang === 'string' && LANGUAGE.test(lang) ? lang : null,
          value: plainText(content),
        },
      ]
    }
    case 'blockquote':
      return [{ type: 'blockquote', children: toBlocks(content) as M.BlockContent[] }]
    case 'bulletList':
    case 'orderedList': {
      const ordered = n.type === 'orderedList'
      const start = Number(n.attrs?.start ?? 1)
      return [
        {
          type: 'list',
          ordered,
          start: ordered && Number.isInteger(start) && start >= 0 ? start : null,
          spread: false,
          children: content.flatMap((item) =>
            'type' in item && item.type === 'listItem'
              ? [toListItem(item)]
              : [{ type: 'listItem', spread: false, children: toBlocks([item]) } as M.ListItem],
          ),
        },
      ]
    }
    default: {
      // A node the editor may have and Markdown not: read by its content.
      if (content.some((c) => 'text' in c || INLINE_ATOMS.has(c.type))) {
        return [{ type: 'paragraph', children: toPhrasing(content) }]
      }
      return toBlocks(content)
    }
  }
}

function toListItem(item: Element): M.ListItem {
  const children = toBlocks(item.content ?? []) as M.BlockContent[]
  // The editor's list item opens with a paragraph, so reading `- ***` put an empty one before
  // the rule. Written out, an empty first line and then a block reads as an empty item and a
  // block after the list; without it, the reader puts the empty paragraph back.
  if (children.length > 1 && isEmptyParagraph(children[0]!) && children[1]!.type !== 'paragraph') {
    children.shift()
  }
  let checked: boolean | null = null
  const first = children[0]
  const lead = first?.type === 'paragraph' ? first.children[0] : undefined
  if (lead?.type === 'text') {
    const m = TASK_BOX.exec(lead.value)
    if (m) {
      checked = m[1] !== ' '
      lead.value = lead.value.slice(m[0].length)
      // Nothing left of the run: drop it, so what follows the box is first in the paragraph
      // (a line break there must be written `\` + newline; a bare newline would vanish).
      if (lead.value === '') (first as M.Paragraph).children.shift()
    }
  }
  return { type: 'listItem', spread: false, checked, children }
}

function isEmptyParagraph(n: M.Nodes): boolean {
  return n.type === 'paragraph' && n.children.every((c) => c.type === 'text' && c.value === '')
}

const INLINE_ATOMS: ReadonlySet<string> = new Set(['hardBreak', 'mention'])

function plainText(nodes: readonly BodyNode[]): string {
  return nodes
    .map((c) => ('text' in c ? c.text : c.type === 'hardBreak' ? '\n' : plainText(c.content ?? [])))
    .join('')
}

interface Open {
  key: string
  node: M.Parent
}

// Runs with their marks as nested mdast nodes: marks shared by neighbouring runs stay open
// across them (link outermost), so `**a _b_**` reads back the same.
function toPhrasing(nodes: readonly BodyNode[]): M.PhrasingContent[] {
  const root: M.Paragraph = { type: 'paragraph', children: [] }
  const stack: Open[] = []
  const top = (): M.Parent => stack[stack.length - 1]?.node ?? root
  for (const n of nodes) {
    const marks: Marks = 'text' in n ? (n.marks ?? {}) : {}
    const wanted = MARK_ORDER.filter((m) => marks[m] !== undefined && marks[m] !== null).map(
      (m) => ({ m, key: m === 'link' ? `link:${JSON.stringify(marks.link)}` : m }),
    )
    let keep = 0
    while (keep < stack.length && keep < wanted.length && stack[keep]!.key === wanted[keep]!.key) {
      keep++
    }
    stack.length = keep
    for (const w of wanted.slice(keep)) {
      const node = markNode(w.m, marks)
      ;(top().children as unknown[]).push(node)
      stack.push({ key: w.key, node })
    }
    const into = top().children as M.Nodes[]
    if ('text' in n) {
      if (n.text.length === 0) continue
      into.push(
        marks.code !== undefined && marks.code !== null
          ? { type: 'inlineCode', value: n.text }
          : { type: 'text', value: n.text },
      )
    } else if (n.type === 'hardBreak') into.push({ type: 'break' })
    else if (n.type === 'mention') {
      const id = n.attrs?.id
      const label = n.attrs?.label
      const token =
        typeof id === 'string' && id.length > 0
          ? `<@${id}>`
          : typeof label === 'string'
            ? `@${label}`
            : ''
      if (token) into.push({ type: 'text', value: token })
    } else {
      into.push(...(toPhrasing(n.content ?? []) as M.Nodes[]))
    }
  }
  return root.children
}

function markNode(mark: (typeof MARK_ORDER)[number], marks: Marks): M.Parent {
  switch (mark) {
    case 'link': {
      const link = (marks.link ?? {}) as { href?: unknown; title?: unknown }
      return {
        type: 'link',
        url: typeof link.href === 'string' ? link.href : '',
        title: typeof link.title === 'string' ? link.title : null,
        children: [],
      } as M.Link
    }
    case 'bold':
      return { type: 'strong', children: [] }
    case 'italic':
      return { type: 'emphasis', children: [] }
    case 'strike':
      return { type: 'delete', children: [] }
  }
}

/** Body blocks for a Markdown text, to insert into a body fragment. */
export function markdownBlocks(markdown: string): Array<Y.XmlElement | Y.XmlText> {
  return toXmlList(markdownToBodyNodes(markdown))
}

/**
 * Makes the body say `markdown` (a whole-value write from the API), touching as little as it
 * can: top-level blocks whose Markdown is unchanged at the start and end are kept as they are
 * (mention nodes and concurrent typing in them included); the blocks in between are replaced.
 * Writes nothing when the body already reads as `markdown`. Call inside a transaction.
 */
export function writeMarkdownBody(fragment: Y.XmlFragment, markdown: string): void {
  const next = markdownToBodyNodes(markdown)
  const blocks = fragment.toArray()
  const nextKeys = next.map((n) => bodyNodesToMarkdown([n]))
  const oldKeys = blocks.map((b) => bodyNodesToMarkdown(fromXml(b)))
  let head = 0
  while (head < blocks.length && head < next.length && oldKeys[head] === nextKeys[head]) head++
  let tail = 0
  while (
    tail < blocks.length - head &&
    tail < next.length - head &&
    oldKeys[blocks.length - 1 - tail] === nextKeys[next.length - 1 - tail]
  ) {
    tail++
  }
  const removed = blocks.length - head - tail
  const added = next.slice(head, next.length - tail)
  if (removed === 0 && added.length === 0) return
  if (removed > 0) fragment.delete(head, removed)
  if (added.length > 0) fragment.insert(head, toXmlList(added))
}

/**
 * The description of the task `taskId` as Markdown: its body (see bodyToMarkdown), or the
 * text of a legacy task as stored. Undefined for an unknown task. What the task API answers.
 * @example getTaskMarkdown(doc, id) // '# Plan\n\n- [ ] tests'
 */
export function getTaskMarkdown(doc: Y.Doc, taskId: string): string | undefined {
  const task = typeof taskId === 'string' ? roots(doc).tasks.get(taskId) : undefined
  if (!task) return undefined
  const body = bodyOf(task)
  return body ? bodyToMarkdown(body) : (text(task, 'description')?.toString() ?? '')
}

// Lets createTask/updateTask accept `descriptionMarkdown` once this module is loaded
// (markdown-codec.ts says why it is not a static import of tasks.ts).
installMarkdownCodec({ blocks: markdownBlocks, write: writeMarkdownBody })
