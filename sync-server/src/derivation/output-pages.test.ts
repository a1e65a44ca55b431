import { describe, expect, it } from 'vitest'
import type { FoldOutput } from './board-fold.js'
import { joinPage, splitOutput } from './output-pages.js'

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

/** An output with long lists of distinct placeholder items (only their order matters here). */
function output(rows: number, events: number): FoldOutput {
  return {
    projection: {
      rows: ids('r', rows),
      missing: ids('m', 3),
      columns: null,
      fields: null,
      changes: ids('c', rows),
      seq: 9,
      search: ids('s', rows),
      relations: null,
    },
    events: ids('e', events),
  } as unknown as FoldOutput
}

describe('fold output pages (issue 17)', () => {
  it('cuts a long output into pages of at most the given size that join back into the same output', () => {
    const out = output(25, 31)
    const { head, pages } = splitOutput(structuredClone(out), 10)
    expect(pages).toHaveLength(Math.ceil((25 * 3 + 3 + 31) / 10))
    for (const p of pages)
      expect(Object.values(p).reduce((n, items) => n + items.length, 0)).toBeLessThanOrEqual(10)
    for (const p of structuredClone(pages)) joinPage(head, p)
    expect(head).toEqual(out)
  })

  it('sends a short output whole', () => {
    const out = output(2, 3)
    expect(splitOutput(out, 100)).toEqual({ head: out, pages: [] })
  })
})
