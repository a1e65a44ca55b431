import type * as Y from 'yjs'

/**
 * How tasks.ts turns a `descriptionMarkdown` into a body, without importing the Markdown
 * parser and printer (micromark, mdast: ~40 KB gzip) into every bundle that edits tasks. The
 * app never writes Markdown; the server does (task API, restore, import). `markdown.ts`
 * installs the codec when it is imported — `import '@taskflow/board/markdown'` — so code that
 * passes `descriptionMarkdown` imports that module, and gets a clear error if it does not.
 */
export interface MarkdownCodec {
  /** Body blocks for a Markdown text, to insert into a new body. */
  blocks(markdown: string): Array<Y.XmlElement | Y.XmlText>
  /** Makes an existing body say `markdown`, touching as little as it can. */
  write(fragment: Y.XmlFragment, markdown: string): void
}

let installed: MarkdownCodec | null = null

export function installMarkdownCodec(codec: MarkdownCodec): void {
  installed = codec
}

export function markdownCodec(): MarkdownCodec {
  if (!installed) {
    throw new Error(
      "descriptionMarkdown needs the Markdown codec: import '@taskflow/board/markdown'",
    )
  }
  return installed
}
