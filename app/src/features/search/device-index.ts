import type { TaskSearchText } from '@taskflow/board'
import MiniSearch, { type AsPlainObject, type Options, type SearchResult } from 'minisearch'

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

/** MiniSearch's options for the device index (exported for tests that compare rankings). */
export const INDEX_OPTIONS: Options<IndexedTask> = {
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
 * A whole index as plain data, cut into parts small enough that posting or cloning one never
 * holds a thread for long: the worker builds the index (no main-thread work for 10k tasks),
 * then hands it to the page, which queries it synchronously as the person types.
 */
export interface IndexSnapshot {
  /** MiniSearch's `toJSON()` without its big collections (sent in `parts`). */
  meta: Omit<AsPlainObject, 'index' | 'documentIds' | 'fieldLength' | 'storedFields'>
  parts: SnapshotPart[]
  byProject: [string, string[]][]
  names: [string, string][]
}
export type SnapshotPart =
  | { kind: 'index'; items: AsPlainObject['index'] }
  | { kind: 'documentIds' | 'fieldLength' | 'storedFields'; items: [string, unknown][] }
  | { kind: 'docs'; items: IndexedTask[] }

/** One ranked hit as MiniSearch gave it: enough to render it again from the page's texts. */
export interface RankedHit {
  id: string
  score: number
  terms: string[]
}

/**
 * The best hits of the one-word queries that match many tasks — every one- and two-letter
 * prefix, and longer prefixes of those while they still match more than ANSWER_AHEAD_MIN
 * tasks — ranked ahead (in the worker, off the page): ranking thousands of matches is the
 * slow tail of typing (the first keystrokes of every query). Valid until the index changes.
 */
export interface AnswersAhead {
  limit: number
  answers: [string, RankedHit[]][]
}

/** Prefixes this short are always answered ahead. */
export const AHEAD_PREFIX_LENGTH = 2
/** Longer prefixes are answered ahead while they match more tasks than this. */
export const ANSWER_AHEAD_MIN = 500

/**
 * A word this long (or longer) is selective enough to narrow the others' scoring to its
 * tasks; shorter ones match too many tasks to be worth scoring twice.
 */
const NARROWING_MIN = 3

const PART_SIZE = 2_000
const PART_POSTINGS = 5_000
const yieldToEventLoop = () => new Promise<void>((r) => setTimeout(r, 0))

export class DeviceIndex {
  readonly #index: MiniSearch<IndexedTask>

  constructor(index?: MiniSearch<IndexedTask>) {
    this.#index = index ?? new MiniSearch<IndexedTask>(INDEX_OPTIONS)
  }

  /** Everything this index holds, as plain data in parts (see IndexSnapshot). */
  snapshot(): IndexSnapshot {
    const { index, documentIds, fieldLength, storedFields, ...meta } = this.#index.toJSON()
    const parts: SnapshotPart[] = []
    // Cut by postings, not terms: a common word's entry holds thousands of documents, and
    // receiving a part (structured clone) is one task on the page.
    let items: AsPlainObject['index'] = []
    let postings = 0
    for (const entry of index) {
      items.push(entry)
      for (const field of Object.values(entry[1])) postings += Object.keys(field).length
      if (postings >= PART_POSTINGS || items.length >= PART_SIZE) {
        parts.push({ kind: 'index', items })
        items = []
        postings = 0
      }
    }
    if (items.length) parts.push({ kind: 'index', items })
    for (const [kind, obj] of [
      ['documentIds', documentIds],
      ['fieldLength', fieldLength],
      ['storedFields', storedFields],
    ] as const) {
      const entries = Object.entries(obj as Record<string, unknown>)
      for (let i = 0; i < entries.length; i += PART_SIZE)
        parts.push({ kind, items: entries.slice(i, i + PART_SIZE) })
    }
    const docs = [...this.#docs.values()]
    for (let i = 0; i < docs.length; i += PART_SIZE)
      parts.push({ kind: 'docs', items: docs.slice(i, i + PART_SIZE) })
    return {
      meta,
      parts,
      byProject: [...this.#byProject].map(([id, tasks]) => [id, [...tasks]]),
      names: [...this.#projectNames],
    }
  }

  /**
   * Rebuilds an index from a snapshot without a long task: MiniSearch's `loadJSAsync` yields
   * every 1,000 terms, and the documents are taken in parts between yields.
   */
  static async fromSnapshot(snap: IndexSnapshot): Promise<DeviceIndex> {
    const js = {
      ...snap.meta,
      index: [],
      documentIds: {},
      fieldLength: {},
      storedFields: {},
    } as AsPlainObject
    const docs: IndexedTask[][] = []
    for (const part of snap.parts) {
      if (part.kind === 'index') js.index.push(...part.items)
      else if (part.kind === 'docs') docs.push(part.items)
      else Object.assign(js[part.kind] as object, Object.fromEntries(part.items))
    }
    const out = new DeviceIndex(await MiniSearch.loadJSAsync(js, INDEX_OPTIONS))
    for (const items of docs) {
      for (const d of items) out.#docs.set(d.id, d)
      await yieldToEventLoop()
    }
    for (const [id, tasks] of snap.byProject) out.#byProject.set(id, new Set(tasks))
    for (const [id, name] of snap.names) out.#projectNames.set(id, name)
    return out
  }

  /** The indexed text by id, for highlighting (MiniSearch stores terms, not text). */
  readonly #docs = new Map<string, IndexedTask>()
  /** Indexed task ids per project. */
  readonly #byProject = new Map<string, Set<string>>()
  readonly #projectNames = new Map<string, string>()
  /** Answers of common one-word queries for the index as it is now; dropped by any change. */
  #ahead: { limit: number; answers: Map<string, RankedHit[]> } | null = null
  /**
   * The tasks the last narrowing word matched (typing "word s", "word st", "word str" narrows
   * by the same word each time); dropped by any change.
   */
  #narrowing: { word: string; ids: Set<string> } | null = null

  /** Projects this index holds (their boards are on the device). */
  projects(): string[] {
    return [...this.#byProject.keys()]
  }

  setProjectName(projectId: string, name: string): void {
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
      this.#ahead = null
      this.#narrowing = null
      if (prev) this.#index.replace(doc)
      else this.#index.add(doc)
      this.#docs.set(id, doc)
      ids.add(r.taskId)
    }
  }

  removeProject(projectId: string): void {
    for (const taskId of this.#byProject.get(projectId) ?? [])
      this.#remove(`${projectId}/${taskId}`)
    this.#byProject.delete(projectId)
  }

  #remove(id: string): void {
    if (!this.#docs.has(id)) return
    this.#ahead = null
    this.#narrowing = null
    this.#index.discard(id)
    this.#docs.delete(id)
  }

  get size(): number {
    return this.#docs.size
  }

  /** The distinct words indexed (lower case, as MiniSearch keeps them), sorted. */
  #words(): string[] {
    const out = new Set<string>()
    for (const doc of this.#docs.values())
      for (const field of FIELDS)
        for (const word of tokenize(doc[field])) out.add(word.toLowerCase())
    return [...out].sort()
  }

  /**
   * Ranks the common one-word queries (see AnswersAhead), one query per step so the worker
   * can yield between steps; the index must not change until it is done.
   */
  *rankAhead(limit: number): Generator<void, AnswersAhead> {
    const words = this.#words()
    const answers: AnswersAhead['answers'] = []
    const todo = longerPrefixes(words, '')
    while (todo.length > 0) {
      const prefix = todo.pop()!
      const all = this.#index.search(prefix)
      answers.push([
        prefix,
        all.slice(0, limit).map((h) => ({ id: h.id as string, score: h.score, terms: h.terms })),
      ])
      if (prefix.length < AHEAD_PREFIX_LENGTH || all.length > ANSWER_AHEAD_MIN)
        todo.push(...longerPrefixes(words, prefix))
      yield
    }
    return { limit, answers }
  }

  /** Takes answers ranked for this index as it is now (the next change drops them). */
  takeAnswersAhead(ahead: AnswersAhead): void {
    this.#ahead = { limit: ahead.limit, answers: new Map(ahead.answers) }
  }

  get hasAnswersAhead(): boolean {
    return this.#ahead !== null
  }

  /** The best `limit` tasks for what was typed, with highlights. Never throws. */
  search(query: string, limit: number): DeviceResult[] {
    const words = tokenize(query).map((w) => w.toLowerCase())
    if (words.length === 0) return []
    const ahead = words.length === 1 ? this.#ahead?.answers.get(words[0]!) : undefined
    if (ahead && limit <= this.#ahead!.limit)
      return ahead.slice(0, limit).map((h) => this.#result(h))
    return this.#rank(query, words)
      .slice(0, limit)
      .map((h) => this.#result({ id: h.id as string, score: h.score, terms: h.terms }))
  }

  /**
   * MiniSearch's ranking of `query`. Every word must match (AND), so when one word is
   * selective the others are scored only on its tasks: MiniSearch skips a task whose
   * `boostDocument` is 0 before scoring it, and multiplies by 1 otherwise — the same hits
   * and scores as without, at the cost of the selective word's tasks instead of, say, every
   * task with a word starting with "r".
   */
  #rank(query: string, words: string[]): SearchResult[] {
    let narrowest = ''
    for (const w of words) if (w.length > narrowest.length) narrowest = w
    if (words.length < 2 || narrowest.length < NARROWING_MIN) return this.#index.search(query)
    if (this.#narrowing?.word !== narrowest) {
      const ids = new Set(this.#index.search(narrowest).map((h) => h.id as string))
      this.#narrowing = { word: narrowest, ids }
    }
    const candidates = this.#narrowing.ids
    if (candidates.size === 0) return []
    return this.#index.search(query, {
      boostDocument: (id: string) => (candidates.has(id) ? 1 : 0),
    })
  }

  #result(h: RankedHit): DeviceResult {
    const doc = this.#docs.get(h.id)!
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
  }
}

/** The distinct prefixes one letter longer than `prefix` among `words` (sorted). */
function longerPrefixes(words: readonly string[], prefix: string): string[] {
  let lo = 0
  let hi = words.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (words[mid]! < prefix) lo = mid + 1
    else hi = mid
  }
  const out: string[] = []
  for (let i = lo; i < words.length && words[i]!.startsWith(prefix); i++) {
    const w = words[i]!
    if (w.length <= prefix.length) continue
    const next = w.slice(0, prefix.length + 1)
    if (out.at(-1) !== next) out.push(next)
  }
  return out
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
