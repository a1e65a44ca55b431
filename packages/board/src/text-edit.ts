import type * as Y from 'yjs'

/**
 * Replaces the content of `ytext` with `next` by editing only the changed middle
 * (common prefix and suffix kept), so a whole-value write from a form still merges
 * by character with a teammate's concurrent typing (B8). For a Y.XmlText pass its
 * characters as `prev`: its toString() renders formatting as tags.
 */
export function replaceText(ytext: Y.Text, next: string, prev = ytext.toString()): void {
  if (prev === next) return
  let start = 0
  const max = Math.min(prev.length, next.length)
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++
  let endPrev = prev.length
  let endNext = next.length
  while (
    endPrev > start &&
    endNext > start &&
    prev.charCodeAt(endPrev - 1) === next.charCodeAt(endNext - 1)
  ) {
    endPrev--
    endNext--
  }
  if (endPrev > start) ytext.delete(start, endPrev - start)
  if (endNext > start) ytext.insert(start, next.slice(start, endNext))
}
