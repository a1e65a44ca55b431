import type { FoldOutput } from './board-fold.js'

/**
 * Items per message when a fold's output comes back from the worker in pages. Receiving a
 * message is one synchronous deserialization on the event loop: the first projection of a
 * 10,000-task board (task rows, search text, status changes and events: ~40,000 objects)
 * took ~100 ms of it in one piece, plus the garbage collection it set off.
 */
export const OUTPUT_PAGE_ITEMS = 1000

/** A slice of a fold output's long lists (those holding one entry per task or event). */
export interface OutputPage {
  rows?: unknown[]
  search?: unknown[]
  changes?: unknown[]
  missing?: unknown[]
  events?: unknown[]
}

type ListKey = keyof OutputPage

/** The long lists of `out`, in the order pages carry them. */
function listsOf(out: FoldOutput): [ListKey, unknown[]][] {
  const p = out.projection
  const lists: [ListKey, unknown[]][] = []
  if (p)
    lists.push(
      ['rows', p.rows],
      ['search', p.search],
      ['changes', p.changes],
      ['missing', p.missing],
    )
  lists.push(['events', out.events])
  return lists
}

/**
 * Splits `out` into a head (everything but the long lists' items) and pages of at most
 * `pageItems` items, which `joinPage` puts back in order. An output of at most `pageItems`
 * items is all head.
 */
export function splitOutput(
  out: FoldOutput,
  pageItems: number,
): { head: FoldOutput; pages: OutputPage[] } {
  const lists = listsOf(out)
  let total = 0
  for (const [, items] of lists) total += items.length
  if (total <= pageItems) return { head: out, pages: [] }
  const head: FoldOutput = {
    projection: out.projection
      ? { ...out.projection, rows: [], search: [], changes: [], missing: [] }
      : null,
    events: [],
  }
  const pages: OutputPage[] = []
  let page: OutputPage = {}
  let room = pageItems
  for (const [key, items] of lists) {
    for (let i = 0; i < items.length; ) {
      const take = items.slice(i, i + room)
      page[key] = take
      i += take.length
      room -= take.length
      if (room === 0) {
        pages.push(page)
        page = {}
        room = pageItems
      }
    }
  }
  if (room < pageItems) pages.push(page)
  return { head, pages }
}

/** Appends `page`'s items to `head`'s lists (pages in the order splitOutput made them). */
export function joinPage(head: FoldOutput, page: OutputPage): void {
  const target: Record<ListKey, unknown[] | undefined> = {
    rows: head.projection?.rows,
    search: head.projection?.search,
    changes: head.projection?.changes,
    missing: head.projection?.missing,
    events: head.events,
  }
  for (const key of Object.keys(page) as ListKey[]) {
    const into = target[key]
    if (!into) throw new Error(`fold output page for a list the head has not: ${key}`)
    for (const item of page[key]!) into.push(item)
  }
}
