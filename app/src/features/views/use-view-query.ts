import { useNavigate, useSearch } from '@tanstack/react-router'
import {
  type BoardView,
  boardTasks,
  compileFilter,
  createBoardFilter,
  envFromView,
  type FilteredBoardView,
  groupTasks,
  isEmptyFilter,
  type QueryEnv,
  sortTasks,
  type TaskGroup,
  type TaskSummary,
  textNarrows,
  type ViewFilter,
  type ViewState,
} from '@taskflow/board'
import { useCallback, useMemo, useRef } from 'react'
import { localToday, useBoardEnv } from '../board/board-context'
import { localeWeekStart } from './calendar/date-math'
import { searchToState, stateToSearch, type ViewSearch } from './view-search'

const FROM = '/_authed/projects/$projectId' as const

/** The view state in the URL and how to change it (history entry unless `replace`). */
export function useViewState() {
  const search = useSearch({ from: FROM }) as ViewSearch
  const navigate = useNavigate()
  const state = useMemo(() => searchToState(search), [search])
  const setState = useCallback(
    (next: ViewState, opts: { savedViewId?: string | null; replace?: boolean } = {}) => {
      const sv = opts.savedViewId === null ? undefined : (opts.savedViewId ?? search.sv)
      // `to: '.'` keeps the task panel open if one is: only the search changes.
      void navigate({
        to: '.',
        search: stateToSearch(next, sv) as never,
        replace: opts.replace ?? false,
      })
    },
    [navigate, search.sv],
  )
  return { search, state, setState }
}

/**
 * The environment filters and sorts read: names come from the member list and labels, the
 * columns from the view. Kept stable across task edits (it depends on the columns' ids and
 * categories only), so a compiled filter and the filtered columns survive an edit.
 * `weekStartsOn` (the view state's, else the locale's, as the calendar uses) is where the
 * "this week" filter and the due-week grouping start a week.
 */
export function useQueryEnv(view: BoardView, weekStartsOn: number = localeWeekStart()): QueryEnv {
  const { userId, membersById, labelsById, fields } = useBoardEnv()
  const columnsKey = view.columns.map((c) => `${c.id}:${c.category}`).join('|')
  const today = localToday()
  const columnsRef = useRef(view.columns)
  columnsRef.current = view.columns
  // biome-ignore lint/correctness/useExhaustiveDependencies: columnsKey stands for the columns' ids and categories
  return useMemo(
    () =>
      envFromView(
        { columns: columnsRef.current },
        {
          me: userId,
          today,
          userName: (id) => membersById.get(id)?.name || membersById.get(id)?.email || 'Unknown',
          labelName: (id) => labelsById.get(id)?.name ?? '',
          weekStartsOn,
          fields,
        },
      ),
    [columnsKey, userId, today, membersById, labelsById, weekStartsOn, fields],
  )
}

type Test = (t: TaskSummary) => boolean

/** Compiled filters of one env, by value, and the last one used. */
interface CompiledFilters {
  env: QueryEnv
  byKey: Map<string, Test | null>
  last: { restKey: string; text: string | undefined; test: Test | null } | null
}

/** Compiled filters kept by value (about a word typed and deleted again). */
const KEPT_FILTERS = 16

/**
 * The board filtered by `state.filter` (counts and WIP warnings of the filtered tasks), kept
 * incrementally: an edit re-filters only the column it touched. A keystroke that extends the
 * text filters the previous key's results only, and going back to a text filtered a moment
 * ago (Backspace) reuses its results (`createBoardFilter`), as long as the tasks are unchanged.
 */
export function useFilteredBoard(view: BoardView, state: ViewState, env: QueryEnv) {
  const topLevelOnly = state.hideSubtasks === true
  const { text, ...rest } = state.filter
  const restKey = `${topLevelOnly ? 1 : 0}${JSON.stringify(rest)}`
  const key = `${restKey}|${text ?? ''}`
  const compiled = useRef<CompiledFilters | null>(null)
  if (compiled.current?.env !== env) compiled.current = { env, byKey: new Map(), last: null }
  const kept = compiled.current
  let test = kept.byKey.get(key)
  if (test === undefined) {
    test = compileTest(state.filter, env, topLevelOnly)
    if (kept.byKey.size >= KEPT_FILTERS) kept.byKey.delete(kept.byKey.keys().next().value as string)
    kept.byKey.set(key, test)
  }
  // The same filter but for a longer text: only the tasks the last one kept can match.
  const prev = kept.last
  const within =
    prev && prev.test !== test && prev.restKey === restKey && textNarrows(prev.text, text)
      ? prev.test
      : null
  kept.last = { restKey, text, test }
  const filterRef = useRef<ReturnType<typeof createBoardFilter>>(null)
  if (!filterRef.current) filterRef.current = createBoardFilter()
  const filtered: FilteredBoardView = filterRef.current(view, test, within)
  return { filtered, filtering: test !== null }
}

function compileTest(filter: ViewFilter, env: QueryEnv, topLevelOnly: boolean): Test | null {
  const matches = isEmptyFilter(filter) ? null : compileFilter(filter, env)
  if (!topLevelOnly) return matches
  // "Show subtasks" off: only top-level tasks, as cards and rows.
  return matches
    ? (t: TaskSummary) => t.parentId === null && matches(t)
    : (t: TaskSummary) => t.parentId === null
}

/** The filtered tasks sorted and grouped for a list (or any view that groups rows). */
export function useTaskGroups(
  filtered: FilteredBoardView,
  state: ViewState,
  env: QueryEnv,
): TaskGroup[] {
  const sortKey = `${state.sort.key}:${state.sort.desc ? 1 : 0}`
  // biome-ignore lint/correctness/useExhaustiveDependencies: sortKey is the sort's value
  return useMemo(() => {
    const sorted = sortTasks(boardTasks(filtered), state.sort, env)
    return groupTasks(sorted, state.group, env, filtered.columns)
  }, [filtered.columns, sortKey, state.group, env])
}
