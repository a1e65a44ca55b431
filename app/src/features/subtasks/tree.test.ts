import { describe, expect, it } from 'vitest'
import { descendantIds, nestRows, parentCandidates, type TreeNode, trashRoots } from './tree'

const node = (id: string, parentId: string | null = null): TreeNode => ({ id, parentId })

/** A board: A > (B > C), D; E top-level. */
const all = [node('A'), node('B', 'A'), node('C', 'B'), node('D', 'A'), node('E')]
const parentOf = (id: string) => all.find((t) => t.id === id)?.parentId ?? null
const shape = (rows: ReturnType<typeof nestRows>) =>
  rows.map((r) => `${'  '.repeat(r.depth)}${r.task.id}${r.showPath ? '*' : ''}`)

describe('nested list rows', () => {
  it('puts children right after their parent, indented, in the sort order of the group', () => {
    // Sorted by something else entirely: children still follow their parent.
    const sorted = [all[2]!, all[4]!, all[3]!, all[0]!, all[1]!] // C E D A B
    expect(shape(nestRows(sorted, parentOf))).toEqual(['E', 'A', '  D', '  B', '    C'])
  })

  it('keeps a subtask whose parent is in another group at the top, marked for a breadcrumb', () => {
    const group = [all[1]!, all[2]!, all[4]!] // B C E, A is elsewhere
    expect(shape(nestRows(group, parentOf))).toEqual(['B*', '  C', 'E'])
  })

  it('nests under the nearest ancestor in the group when the parent is filtered out', () => {
    const group = [all[0]!, all[2]!] // A and C, B filtered out
    const rows = nestRows(group, parentOf)
    expect(shape(rows)).toEqual(['A', '  C*'])
    expect(rows[0]!.childCount).toBe(1)
  })

  it('leaves out the descendants of a collapsed row, and only those', () => {
    const rows = nestRows(all, parentOf, new Set(['B']))
    expect(shape(rows)).toEqual(['A', '  B', '  D', 'E'])
    expect(rows[1]!.childCount).toBe(1)
  })

  it('shows every task once even if parent links form a cycle', () => {
    const cyclic = [node('X', 'Y'), node('Y', 'X'), node('Z')]
    const p = (id: string) => cyclic.find((t) => t.id === id)?.parentId ?? null
    const rows = nestRows(cyclic, p)
    expect(rows.map((r) => r.task.id).sort()).toEqual(['X', 'Y', 'Z'])
  })
})

describe('parent picker', () => {
  it('offers every task but the task itself and its descendants', () => {
    expect(parentCandidates(all, 'B').map((t) => t.id)).toEqual(['A', 'D', 'E'])
    expect(parentCandidates(all, 'A').map((t) => t.id)).toEqual(['E'])
    expect(parentCandidates(all, 'C').map((t) => t.id)).toEqual(['A', 'B', 'D', 'E'])
  })

  it('finds descendants at any depth', () => {
    expect([...descendantIds(all, 'A')].sort()).toEqual(['B', 'C', 'D'])
    expect(descendantIds(all, 'E').size).toBe(0)
  })
})

describe('trash', () => {
  it('lists a trashed parent once, with the count of its subtasks trashed with it', () => {
    // A trashed with B and C (its subtree); X trashed alone, its parent still live.
    const trash = [node('X', 'E'), node('C', 'B'), node('A'), node('B', 'A')]
    expect(trashRoots(trash).map((r) => [r.task.id, r.subtasks])).toEqual([
      ['X', 0],
      ['A', 2],
    ])
  })
})
