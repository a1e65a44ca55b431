import type { TaskSearchText } from '@taskflow/board'
import MiniSearch, { type Options } from 'minisearch'

/**
 * The offline full-text index over the boards on this device (issue 15): MiniSearch with
 * prefix and typo-tolerant matching, every word required. Kept in the search worker
 * (search.worker.ts); pure, so tests drive it directly.
 */

/** A run of text, `match` on highlighted words. Rendered as text, never as HTML. */
export interface Segment {
  text: string
  match: boolean
}

export interface DeviceResult {
  projectId: string
  projectName: string
  taskId: string
  title: Segment[]
  /** Where a word matched outside the title (description, comment, checklist, label), or null. */
  snippet: { field: SnippetField; segments: Segment[] } | null
  score: number
}

type SnippetField = 'description' | 'comments' | 'checklist' | 'labels'
const SNIPPET_FIELDS: readonly SnippetField[] = ['description', 'comments', 'checklist', 'labels']
const FIELDS = ['title', ...SNIPPET_FIELDS] as const

interface IndexedTask {
  /** `${projectId}/${taskId}` */
  id: string
  projectId: string
  taskId: string
  title: string
  description: string
  comments: string
  checklist: string
  labels: string
}

/** Characters shown around a match in a snippet. */
const SNIPPET_CONTEXT = 40

// Words are runs of letters, marks and digits, as on the server (FTS5 unicode61): every
// other character separates words, so a query holds no syntax (quotes, `*`, parentheses,
// `<b>` and operators are separators, never operators).
const SEPARATORS = /[^\p{L}\p{M}\p{N}]+/u
function tokenize(text: string): string[] {
  return text.split(SEPARATORS).filter((w) => w.length > 0)
}

function fuzzyFor(term: string): number | false {
  // Typos are tolerated in words of 4+ letters (1 edit; 2 from 8 letters on).
  return term.length >= 4 ? 0.25 : false
}

const OPTIONS: Options<IndexedTask> = {
  fields: [...FIELDS],
  storeFields: ['projectId', 'taskId'],
  tokenize,
  searchOptions: {
    prefix: true,
    fuzzy: fuzzyFor,
    maxFuzzy: 2,
    combineWith: 'AND',
    boost: { title: 3, labels: 2 },
  },
}

/**
 * Everything an index holds, as the texts it was built from, in parts small enough that
 * posting or cloning one is a short task: the worker builds the index (no main-thread work
 * for 10k tasks) and hands the texts to the page, which indexes them again in idle slices
 * (`fromSnapshot`) and then answers keystrokes synchronously as the person types. (Handing
 * over MiniSearch's own serialised index cost less in total, but its parts were 40–170 ms
 * main-thread tasks on a 10,000-task board that landed on whatever the person did a few
 * seconds after opening it; adding 30 documents takes a few ms and can stop at any one.)
 */
export interface IndexSnapshot {
  parts: SnapshotPart[]
  names: [string, string][]
}
/** Some tasks of one project (every project has at least one part, maybe empty). */
export interface SnapshotPart {
  projectId: string
  rows: TaskSearchText[]
}

const PART_SIZE = 250
/** Whether the current slice has time left; resolves at the start of the next one. */
export type NextSlice = () => Promise<() => boolean>
const timerSlices: NextSlice = () =>
  new Promise((resolve) =>
    setTimeout(() => {
      const until = performance.now() + 5
      resolve(() => performance.now() < until)
    }, 0),
  )

/** Answers kept for queries typed again (see `DeviceIndex.search`). */
const KEPT_ANSWERS = 64

export class DeviceIndex {
  readonly #index: MiniSearch<IndexedTask>
  /**
   * Recent answers by limit and query, oldest first; emptied by any change to the index. A
   * short prefix (one or two letters) matches thousands of terms and costs most of a frame
   * to rank, and every search starts with one: typed again, it costs a lookup.
   */
  readonly #answers = new Map<string, DeviceResult[]>()

  constructor(index?: MiniSearch<IndexedTask>) {
    this.#index = index ?? new MiniSearch<IndexedTask>(OPTIONS)
  }

  /** Everything this index holds, as plain data in parts (see IndexSnapshot). */
  snapshot(): IndexSnapshot {
    const parts: SnapshotPart[] = []
    for (const [projectId, taskIds] of this.#byProject) {
      const rows: TaskSearchText[] = []
      for (const taskId of taskIds) {
        const d = this.#docs.get(`${projectId}/${taskId}`)
        if (!d) continue
        const { title, description, comments, checklist, labels } = d
        rows.push({ taskId, title, description, comments, checklist, labels, deleted: false })
      }
      if (rows.length === 0) parts.push({ projectId, rows })
      for (let i = 0; i < rows.length; i += PART_SIZE)
        parts.push({ projectId, rows: rows.slice(i, i + PART_SIZE) })
    }
    return { parts, names: [...this.#projectNames] }
  }

  /**
   * Indexes a snapshot's texts again, a few documents at a time: `nextSlice` says when to go
   * on and for how long (idle slices on the page; timer tasks by default).
   */
  static async fromSnapshot(
    snap: IndexSnapshot,
    nextSlice: NextSlice = timerSlices,
  ): Promise<DeviceIndex> {
    const out = new DeviceIndex()
    for (const [id, name] of snap.names) out.#projectNames.set(id, name)
    let hasTime = await nextSlice()
    for (const part of snap.parts) {
      out.update(part.projectId, [], [])
      for (let i = 0; i < part.rows.length; ) {
        if (!hasTime()) hasTime = await nextSlice()
        // A few documents per check: adding one is a fraction of a millisecond.
        const end = Math.min(part.rows.length, i + 8)
        out.update(part.projectId, part.rows.slice(i, end), [])
        i = end
      }
    }
    return out
  }

  /** The indexed text by id, for highlighting (MiniSearch stores terms, not text). */
  readonly #docs = new Map<string, IndexedTask>()
  /** Indexed task ids per project. */
  readonly #byProject = new Map<string, Set<string>>()
  readonly #projectNames = new Map<string, string>()

  /** Projects this index holds (their boards are on the device). */
  projects(): string[] {
    return [...this.#byProject.keys()]
  }

  setProjectName(projectId: string, name: string): void {
    this.#answers.clear()
    this.#projectNames.set(projectId, name)
  }

  /** Replaces everything indexed for a project with `rows` (a board read from storage). */
  setProject(projectId: string, rows: readonly TaskSearchText[]): void {
    const old = this.#byProject.get(projectId)
    if (old) for (const taskId of old) this.#remove(`${projectId}/${taskId}`)
    this.#byProject.set(projectId, new Set())
    this.update(projectId, rows, [])
  }

  /**
   * Applies the changed tasks of one project: live ones (re)indexed, trashed ones and
   * `missing` ids removed. Costs a fraction of a millisecond per task.
   */
  update(projectId: string, rows: readonly TaskSearchText[], missing: readonly string[]): void {
    this.#answers.clear()
    let ids = this.#byProject.get(projectId)
    if (!ids) {
      ids = new Set()
      this.#byProject.set(projectId, ids)
    }
    for (const taskId of missing) {
      this.#remove(`${projectId}/${taskId}`)
      ids.delete(taskId)
    }
    for (const r of rows) {
      const id = `${projectId}/${r.taskId}`
      if (r.deleted) {
        this.#remove(id)
        ids.delete(r.taskId)
        continue
      }
      const doc: IndexedTask = {
        id,
        projectId,
        taskId: r.taskId,
        title: r.title,
        description: r.description,
        comments: r.comments,
        checklist: r.checklist,
        labels: r.labels,
      }
      const prev = this.#docs.get(id)
      if (prev && FIELDS.every((f) => prev[f] === doc[f])) continue
      if (prev) this.#index.replace(doc)
      else this.#index.add(doc)
      this.#docs.set(id, doc)
      ids.add(r.taskId)
    }
  }

  removeProject(projectId: string): void {
    this.#answers.clear()
    for (const taskId of this.#byProject.get(projectId) ?? [])
      this.#remove(`${projectId}/${taskId}`)
    this.#byProject.delete(projectId)
  }

  #remove(id: string): void {
    if (!this.#docs.has(id)) return
    this.#index.discard(id)
    this.#docs.delete(id)
  }

  get size(): number {
    return this.#docs.size
  }

  /** The best `limit` tasks for what was typed, with highlights. Never throws. */
  search(query: string, limit: number): DeviceResult[] {
    if (query.trim() === '') return []
    const key = `${limit} ${query}`
    const kept = this.#answers.get(key)
    if (kept) {
      this.#answers.delete(key)
      this.#answers.set(key, kept)
      return kept
    }
    const answer = this.#rank(query, limit)
    if (this.#answers.size >= KEPT_ANSWERS) {
      this.#answers.delete(this.#answers.keys().next().value as string)
    }
    this.#answers.set(key, answer)
    return answer
  }

  #rank(query: string, limit: number): DeviceResult[] {
    const hits = this.#index.search(query).slice(0, limit)
    return hits.map((h) => {
      const doc = this.#docs.get(h.id as string)!
      const terms = h.terms
      let snippet: DeviceResult['snippet'] = null
      for (const field of SNIPPET_FIELDS) {
        const segments = excerpt(doc[field], terms)
        if (segments) {
          snippet = { field, segments }
          break
        }
      }
      return {
        projectId: doc.projectId,
        projectName: this.#projectNames.get(doc.projectId) ?? '',
        taskId: doc.taskId,
        title: highlight(doc.title, terms),
        snippet,
        score: h.score,
      }
    })
  }
}

/** Where `terms` (lower-case words as indexed) start words of `text`: [start, end) ranges. */
function matches(text: string, terms: readonly string[]): [number, number][] {
  const lower = text.toLowerCase()
  const out: [number, number][] = []
  for (const term of terms) {
    let from = 0
    for (;;) {
      const at = lower.indexOf(term, from)
      if (at < 0) break
      from = at + term.length
      // Whole words only: the index matched words, not substrings.
      const before = at === 0 ? '' : lower[at - 1]!
      const after = lower[at + term.length] ?? ''
      if (/[\p{L}\p{N}]/u.test(before) || /[\p{L}\p{N}]/u.test(after)) continue
      out.push([at, at + term.length])
    }
  }
  out.sort((a, b) => a[0] - b[0])
  const merged: [number, number][] = []
  for (const r of out) {
    const last = merged.at(-1)
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1])
    else merged.push([r[0], r[1]])
  }
  return merged
}

function segmentsOf(
  text: string,
  ranges: readonly [number, number][],
  from = 0,
  to = text.length,
): Segment[] {
  const out: Segment[] = []
  let at = from
  for (const [s, e] of ranges) {
    if (e <= from || s >= to) continue
    if (s > at) out.push({ text: text.slice(at, s), match: false })
    out.push({ text: text.slice(Math.max(s, at), Math.min(e, to)), match: true })
    at = Math.min(e, to)
  }
  if (at < to) out.push({ text: text.slice(at, to), match: false })
  return out
}

/** The whole text with its matched words marked. */
export function highlight(text: string, terms: readonly string[]): Segment[] {
  return segmentsOf(text, matches(text, terms))
}

/** A window of one line around the first match, or null when no word matched here. */
export function excerpt(text: string, terms: readonly string[]): Segment[] | null {
  const ranges = matches(text, terms)
  const first = ranges[0]
  if (!first) return null
  const lineStart = text.lastIndexOf('\n', first[0]) + 1
  const lineEnd = text.indexOf('\n', first[1])
  const from = Math.max(lineStart, first[0] - SNIPPET_CONTEXT)
  const to = Math.min(lineEnd < 0 ? text.length : lineEnd, first[1] + SNIPPET_CONTEXT * 2)
  const segments = segmentsOf(text, ranges, from, to)
  if (from > lineStart) segments.unshift({ text: '…', match: false })
  if (to < (lineEnd < 0 ? text.length : lineEnd)) segments.push({ text: '…', match: false })
  return segments
}
