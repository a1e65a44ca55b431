import { MENTION_PATTERN, mentionToken } from '@taskflow/board'
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal'
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal'
import type { ReactNode } from 'react'
import Markdown, { type Components, defaultUrlTransform, type Options } from 'react-markdown'
import type { Member } from '../../api/schemas'
import { MentionChip } from './mentions'

/**
 * Comment bodies as safe markdown: emphasis, code, links (new tab), lists and quotes. Raw HTML
 * is never interpreted (react-markdown shows it as literal text), images show only their alt text, and
 * unsafe link protocols (`javascript:` …) are dropped. Plain `http(s)://` and `www.` addresses
 * become links (GFM autolink literals); bare e-mail addresses stay text. `<@userId>` tokens
 * become mention chips.
 *
 * Loaded lazily by the comment thread, so the board's initial bundle does not carry the parser.
 */

// Mentions travel through the markdown parser as inert placeholders (private-use characters
// around an index), so ids like `__x__` are never read as emphasis.
const OPEN = '\uE000'
const CLOSE = '\uE001'
const PLACEHOLDER = /\uE000(\d+)\uE001/g

interface HastText {
  type: 'text'
  value: string
}
interface HastElement {
  type: 'element'
  tagName: string
  properties: Record<string, unknown>
  children: HastNode[]
}
type HastNode = HastText | HastElement | { type: string; children?: HastNode[] }

/** Line breaks are kept inside paragraphs (Shift+Enter in the composer means a new line). */
const PHRASING_PARENTS = new Set([
  'p',
  'li',
  'em',
  'strong',
  'a',
  'del',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
])

/** Rehype plugin: placeholders → `<span data-mention>` (rendered as chips), `\n` → `<br>`. */
function rehypeMentions(ids: readonly string[]) {
  const restore = (s: string) =>
    s.replace(PLACEHOLDER, (_, i: string) => mentionToken(ids[Number(i)]!))
  const split = (text: string, breaks: boolean): HastNode[] => {
    const out: HastNode[] = []
    const pushText = (s: string) => {
      if (!s) return
      if (!breaks) return void out.push({ type: 'text', value: s })
      s.split('\n').forEach((line, i) => {
        if (i > 0) out.push({ type: 'element', tagName: 'br', properties: {}, children: [] })
        if (line) out.push({ type: 'text', value: line })
      })
    }
    let last = 0
    for (const m of text.matchAll(PLACEHOLDER)) {
      pushText(text.slice(last, m.index))
      const id = ids[Number(m[1])]
      if (id !== undefined)
        out.push({
          type: 'element',
          tagName: 'span',
          properties: { dataMention: id },
          children: [],
        })
      last = m.index + m[0].length
    }
    pushText(text.slice(last))
    return out
  }
  const walk = (node: HastNode, inCode: boolean, breaks: boolean) => {
    if (!('children' in node) || !node.children) return
    const el = node.type === 'element' ? (node as HastElement) : null
    const code = inCode || el?.tagName === 'code' || el?.tagName === 'pre'
    const br = el !== null && PHRASING_PARENTS.has(el.tagName) ? true : el ? breaks : false
    node.children = node.children.flatMap((child) => {
      // Raw HTML is shown as literal text later on; only its placeholders need restoring.
      if (child.type === 'raw') return [{ ...child, value: restore((child as HastText).value) }]
      if (child.type !== 'text') {
        walk(child, code, br)
        return [child]
      }
      const text = child as HastText
      if (code) return [{ type: 'text', value: restore(text.value) }]
      if (!text.value.trim()) return [child]
      return split(text.value, br)
    })
  }
  return () => (tree: HastNode) => walk(tree, false, false)
}

interface MdastNode {
  type: string
  url?: string
  position?: { start: { offset?: number }; end: { offset?: number } }
  children?: MdastNode[]
}

/**
 * Remark plugin: GFM autolink literals only (not tables, footnotes …), so a plain address in
 * a comment is a link. Literals that are not http(s) (bare e-mail addresses become `mailto:`)
 * are put back as text: a link the author did not write must not open a mail client.
 */
function remarkPlainUrls(this: { data(): Record<string, unknown[] | undefined> }) {
  const data = this.data()
  // biome-ignore lint/suspicious/noAssignInExpressions: the unified plugin idiom
  ;(data.micromarkExtensions ??= []).push(gfmAutolinkLiteral())
  // biome-ignore lint/suspicious/noAssignInExpressions: the unified plugin idiom
  ;(data.fromMarkdownExtensions ??= []).push(gfmAutolinkLiteralFromMarkdown())
  const walk = (node: MdastNode) => {
    if (!node.children) return
    node.children = node.children.flatMap((child) => {
      walk(child)
      return isLiteralLink(child) && !/^https?:\/\//i.test(child.url ?? '')
        ? (child.children ?? [])
        : [child]
    })
  }
  return walk
}

/** A link written as a bare address: it spans exactly its text (no `[…](…)` or `<…>`). */
function isLiteralLink(node: MdastNode): boolean {
  if (node.type !== 'link') return false
  const text = node.children?.length === 1 ? node.children[0] : undefined
  if (!node.position || !text?.position) return true
  return (
    node.position.start.offset === text.position.start.offset &&
    node.position.end.offset === text.position.end.offset
  )
}

/** Raw `<@id>` tokens → placeholders; any stray placeholder characters in the text are dropped. */
export function encodeMentions(text: string): { source: string; ids: string[] } {
  const ids: string[] = []
  const source = text.replace(/[\uE000\uE001]/g, '').replace(MENTION_PATTERN, (_, id: string) => {
    ids.push(id)
    return `${OPEN}${ids.length - 1}${CLOSE}`
  })
  return { source, ids }
}

const link = 'text-indigo-600 underline hover:text-indigo-800 dark:text-indigo-400'

function components(membersById: ReadonlyMap<string, Member>): Components {
  return {
    a: ({ href, children }) => (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow" className={link}>
        {children}
      </a>
    ),
    // No remote images: only the alt text is shown.
    img: ({ alt }) => (alt ? <span>{alt}</span> : null),
    span: ({ node: _node, children, ...rest }) => {
      const id = (rest as Record<string, unknown>)['data-mention']
      return typeof id === 'string' ? (
        <MentionChip userId={id} membersById={membersById} />
      ) : (
        <span>{children}</span>
      )
    },
    p: ({ children }) => <p className="my-1 first:mt-0 last:mb-0">{children}</p>,
    ul: ({ children }) => <ul className="my-1 list-disc pl-5">{children}</ul>,
    ol: ({ children }) => <ol className="my-1 list-decimal pl-5">{children}</ol>,
    blockquote: ({ children }) => (
      <blockquote className="my-1 border-l-2 border-slate-300 pl-2 text-slate-600 dark:border-slate-600 dark:text-slate-400">
        {children}
      </blockquote>
    ),
    pre: ({ children }) => (
      <pre className="my-1 overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800 [&>code]:bg-transparent [&>code]:p-0">
        {children}
      </pre>
    ),
    code: ({ children }) => (
      <code className="rounded bg-slate-100 px-1 font-mono text-[0.85em] dark:bg-slate-800">
        {children}
      </code>
    ),
  }
}

export default function CommentMarkdown(props: {
  text: string
  membersById: ReadonlyMap<string, Member>
}): ReactNode {
  const { source, ids } = encodeMentions(props.text)
  const urlTransform: Options['urlTransform'] = (url) =>
    defaultUrlTransform(url.replace(PLACEHOLDER, (_, i: string) => mentionToken(ids[Number(i)]!)))
  return (
    <Markdown
      remarkPlugins={[remarkPlainUrls as never]}
      rehypePlugins={[rehypeMentions(ids) as never]}
      urlTransform={urlTransform}
      components={components(props.membersById)}
    >
      {source}
    </Markdown>
  )
}
