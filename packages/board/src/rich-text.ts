import * as Y from 'yjs'
import { mentionToken } from './comments.js'
import { roots, text, type YMapAny } from './schema.js'
import { replaceText } from './text-edit.js'

/*
 * A task's rich-text description (`body`) is a Y.XmlFragment in the shape y-prosemirror
 * (TipTap's Collaboration extension) reads and writes: one Y.XmlElement per ProseMirror
 * node, named by the TipTap node name, with the node's non-null attrs as XML attributes,
 * and each run of text as a Y.XmlText whose formatting attributes are the marks
 * (`bold: {}`, `link: { href, ... }`). See docs/document-schema.md (B17, B18).
 */

// Block nodes whose children are inline content (text, hard breaks, mentions).
const TEXTBLOCKS: ReadonlySet<string> = new Set(['paragraph', 'heading', 'codeBlock'])

// Inline nodes without text of their own, as plain text.
const INLINE_ATOMS: Readonly<Record<string, (el: Y.XmlElement) => string>> = {
  hardBreak: () => '\n',
  // The same token comments use, so parseMentions finds mentions in either.
  mention: (el) => {
    const id = el.getAttribute('id')
    const label = el.getAttribute('label')
    if (typeof id === 'string' && id.length > 0) return mentionToken(id)
    return typeof label === 'string' ? `@${label}` : ''
  },
}

// Leaf blocks without content, so a reader sees where they were.
const LEAF_BLOCKS: Readonly<Record<string, string>> = { horizontalRule: '---' }

type XmlChild = Y.XmlElement | Y.XmlText | Y.XmlHook

/** The body of a task map, or null for a legacy task (plain `description` Y.Text). */
export function bodyOf(task: YMapAny): Y.XmlFragment | null {
  const v = task.get('body')
  return v instanceof Y.XmlFragment ? v : null
}

/**
 * The shared rich-text body of a task, to bind a TipTap / y-prosemirror editor to.
 * Undefined for an unknown task and for a task created before rich text (schema v1),
 * whose description stays a plain `Y.Text` (use `getTaskText(doc, id, 'description')`).
 * @example useEditor({ extensions: [StarterKit.configure({ undoRedo: false }), Collaboration.configure({ fragment: getTaskBody(doc, id) })] })
 */
export function getTaskBody(doc: Y.Doc, taskId: string): Y.XmlFragment | undefined {
  const task = typeof taskId === 'string' ? roots(doc).tasks.get(taskId) : undefined
  return (task && bodyOf(task)) ?? undefined
}

/**
 * The body as plain text: one line per block (list items and quoted paragraphs each on
 * their own line), a hard break as a line break, a mention as its `<@userId>` token,
 * a horizontal rule as `---`; marks are dropped.
 * @example parseMentions(bodyToPlainText(getTaskBody(doc, id)!))
 */
export function bodyToPlainText(fragment: Y.XmlFragment): string {
  const lines: string[] = []
  for (const child of fragment.toArray()) appendBlock(child, lines)
  return lines.join('\n')
}

function appendBlock(node: XmlChild, lines: string[]): void {
  if (node instanceof Y.XmlText) {
    lines.push(plainOf(node))
    return
  }
  if (!(node instanceof Y.XmlElement)) return
  const leaf = LEAF_BLOCKS[node.nodeName]
  if (leaf !== undefined) {
    lines.push(leaf)
    return
  }
  const children = node.toArray()
  // A node TipTap does not know yet is read by its content: text makes it a line.
  if (TEXTBLOCKS.has(node.nodeName) || children.some(isInline)) {
    lines.push(inlineText(children))
    return
  }
  for (const child of children) appendBlock(child, lines)
}

function isInline(node: XmlChild): boolean {
  return (
    node instanceof Y.XmlText || (node instanceof Y.XmlElement && node.nodeName in INLINE_ATOMS)
  )
}

function inlineText(children: readonly XmlChild[]): string {
  let out = ''
  for (const child of children) {
    if (child instanceof Y.XmlText) out += plainOf(child)
    else if (child instanceof Y.XmlElement) {
      const atom = INLINE_ATOMS[child.nodeName]
      out += atom ? atom(child) : inlineText(child.toArray())
    }
  }
  return out
}

// Characters only: Y.XmlText#toString() renders marks as XML tags, and toDelta() builds
// objects per run that are thrown away here.
function plainOf(t: Y.XmlText): string {
  let out = ''
  for (let item = t._start; item !== null; item = item.right) {
    if (!item.deleted && item.content instanceof Y.ContentString) out += item.content.str
  }
  return out
}

/** Line breaks as the body stores them: a form may send `\r\n`. */
export function normalizeLineBreaks(value: string): string {
  return value.replace(/\r\n?/g, '\n')
}

/**
 * Paragraphs of `value`, one per line, each holding one unformatted Y.XmlText — an empty
 * line too. Always at least one paragraph, so an editor never has to create the first
 * block (two editors doing that concurrently would give two). The empty text in an empty
 * paragraph matters the same way: y-prosemirror would otherwise create it on the first
 * key press, and two people starting to type at once would each create one and get their
 * letters interleaved or doubled (app test "two people start typing into an empty
 * description"). The binding types into an existing empty Y.XmlText and keeps it.
 */
export function plainTextBlocks(value: string): Y.XmlElement[] {
  return normalizeLineBreaks(value)
    .split('\n')
    .map((line) => {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText(line)])
      return p
    })
}

/**
 * Makes the body's plain text `value` (a whole-value write from a form or the API),
 * touching as little as it can so it merges with a teammate's editing: top-level blocks
 * whose text is unchanged at the start and end are kept as they are (formatting, lists
 * and mentions included); if what is left is as many plain text blocks (no mentions or
 * breaks) as changed lines, each is edited in place by its changed middle, which keeps
 * the block type and merges by character (B8); otherwise the changed blocks are replaced
 * by one paragraph per line, losing their formatting, and typing done concurrently in
 * them. Call inside a transaction; writes nothing when the text is already `value`.
 */
export function writePlainTextBody(fragment: Y.XmlFragment, value: string): void {
  const lines = normalizeLineBreaks(value).split('\n')
  const blocks = fragment.toArray()
  // Each block's lines, split like `value` (a code block or hard break spans several).
  const texts = blocks.map((b) => {
    const out: string[] = []
    appendBlock(b, out)
    return out.length === 0 ? [] : out.join('\n').split('\n')
  })
  if (blocks.length > 0 && texts.flat().join('\n') === lines.join('\n')) return
  // Unchanged blocks at both ends, compared line by line (a list is several lines).
  let head = 0
  let headLines = 0
  while (head < blocks.length && sameLines(texts[head]!, lines, headLines)) {
    headLines += texts[head]!.length
    head++
  }
  let tail = 0
  let tailLines = 0
  while (
    tail < blocks.length - head &&
    texts[blocks.length - 1 - tail]!.length <= lines.length - headLines - tailLines &&
    sameLines(
      texts[blocks.length - 1 - tail]!,
      lines,
      lines.length - tailLines - texts[blocks.length - 1 - tail]!.length,
    )
  ) {
    tailLines += texts[blocks.length - 1 - tail]!.length
    tail++
  }
  const oldMiddle = blocks.slice(head, blocks.length - tail)
  const newMiddle = lines.slice(headLines, lines.length - tailLines)
  if (oldMiddle.length === newMiddle.length && oldMiddle.every(isPlainTextblock)) {
    oldMiddle.forEach((block, i) => {
      editInPlace(block as Y.XmlElement, newMiddle[i]!)
    })
    return
  }
  if (oldMiddle.length > 0) fragment.delete(head, oldMiddle.length)
  // A body keeps at least one block, so an editor never has to create the first one.
  if (newMiddle.length > 0 || fragment.length === 0) {
    fragment.insert(head, plainTextBlocks(newMiddle.join('\n')))
  }
}

function sameLines(block: readonly string[], lines: readonly string[], at: number): boolean {
  if (at < 0 || at + block.length > lines.length) return false
  return block.every((line, i) => lines[at + i] === line)
}

// A textblock holding nothing but (at most) one run of text: editable by characters.
function isPlainTextblock(node: XmlChild): boolean {
  if (!(node instanceof Y.XmlElement) || !TEXTBLOCKS.has(node.nodeName)) return false
  if (node.length === 0) return true
  const run = node.get(0)
  // Embeds count in a Y.Text's positions but not in its characters: edit only pure text.
  return node.length === 1 && run instanceof Y.XmlText && plainOf(run).length === run.length
}

function editInPlace(block: Y.XmlElement, line: string): void {
  const run = block.get(0)
  if (run instanceof Y.XmlText) replaceText(run, line, plainOf(run))
  else if (line.length > 0) block.insert(0, [new Y.XmlText(line)])
}

/**
 * A task's description as plain text, from whichever store it has: the rich-text body
 * (see bodyToPlainText) or, for a task from schema v1, the legacy `description` Y.Text.
 * What views, projections and the server's activity deriver all read.
 * @example parseMentions(taskDescription(doc.getMap('tasks').get(id)))
 */
export function taskDescription(task: Y.Map<unknown>): string {
  const body = bodyOf(task)
  if (body) return bodyToPlainText(body)
  return text(task, 'description')?.toString() ?? ''
}

/**
 * The description of the task `taskId` as plain text (see taskDescription), or undefined for
 * an unknown task. Reads only that task: for lists, where `getTask` would read the board's
 * columns and labels again per task.
 * @example page.map((t) => ({ ...t, description: getTaskDescription(doc, t.id) ?? '' }))
 */
export function getTaskDescription(doc: Y.Doc, taskId: string): string | undefined {
  const task = typeof taskId === 'string' ? roots(doc).tasks.get(taskId) : undefined
  return task ? taskDescription(task) : undefined
}
