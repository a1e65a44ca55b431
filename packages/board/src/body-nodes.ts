import * as Y from 'yjs'

/**
 * A rich-text node as y-prosemirror stores it: an element (ProseMirror node name, its
 * attributes, children) or a run of text with its marks. What `readBodyNodes` gives.
 */
export type BodyNode =
  | { type: string; attrs?: Record<string, unknown>; content?: BodyNode[] }
  | { text: string; marks?: Record<string, unknown> }

// Consecutive text runs become one Y.XmlText with their marks as formatting, as
// y-prosemirror writes them.
export function toXmlList(nodes: readonly BodyNode[]): Array<Y.XmlElement | Y.XmlText> {
  const out: Array<Y.XmlElement | Y.XmlText> = []
  let run: Y.XmlText | null = null
  let runLength = 0
  for (const node of nodes) {
    if ('text' in node) {
      if (!run) {
        run = new Y.XmlText()
        runLength = 0
        out.push(run)
      }
      // Explicit (possibly empty) marks: a run never inherits the previous run's marks.
      if (node.text.length > 0) run.insert(runLength, node.text, { ...(node.marks ?? {}) })
      runLength += node.text.length
      continue
    }
    run = null
    const el = new Y.XmlElement(node.type)
    for (const [k, v] of Object.entries(node.attrs ?? {})) {
      // y-prosemirror keeps attribute values as they are (strings, numbers, booleans).
      el.setAttribute(k, v as string)
    }
    if (node.content?.length) el.insert(0, toXmlList(node.content))
    out.push(el)
  }
  return out
}

/** The nodes of one element or text run of a body (see BodyNode). */
export function fromXml(node: Y.XmlElement | Y.XmlText | Y.XmlHook): BodyNode[] {
  if (node instanceof Y.XmlText) {
    const out: BodyNode[] = []
    for (const op of node.toDelta() as {
      insert: unknown
      attributes?: Record<string, unknown>
    }[]) {
      if (typeof op.insert !== 'string') continue
      out.push(op.attributes ? { text: op.insert, marks: op.attributes } : { text: op.insert })
    }
    // An empty run still matters: it is the text an editor types into (see plainTextBlocks).
    return out.length > 0 ? out : [{ text: '' }]
  }
  if (!(node instanceof Y.XmlElement)) return []
  const attrs = node.getAttributes() as Record<string, unknown>
  const content = node.toArray().flatMap(fromXml)
  const out: BodyNode = { type: node.nodeName }
  if (Object.keys(attrs).length > 0) out.attrs = attrs
  if (content.length > 0) out.content = content
  return [out]
}
