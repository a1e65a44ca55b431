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

/**
 * The board filtered by `state.filter` (counts and WIP warnings of the filtered tasks), kept
 * incrementally: an edit re-filters only the column it touched.
 */
export function useFilteredBoard(view: BoardView, state: ViewState, env: QueryEnv) {
  const filterKey = JSON.stringify(state.filter)
  const topLevelOnly = state.hideSubtasks === true
  // biome-ignore lint/correctness/useExhaustiveDependencies: filterKey is the filter's value
  const test = useMemo(() => {
    const matches = isEmptyFilter(state.filter) ? null : compileFilter(state.filter, env)
    if (!topLevelOnly) return matches
    // "Show subtasks" off: only top-level tasks, as cards and rows.
    return matches
      ? (t: TaskSummary) => t.parentId === null && matches(t)
      : (t: TaskSummary) => t.parentId === null
  }, [filterKey, env, topLevelOnly])
  const filterRef = useRef<ReturnType<typeof createBoardFilter>>(null)
  if (!filterRef.current) filterRef.current = createBoardFilter()
  const filtered: FilteredBoardView = filterRef.current(view, test)
  return { filtered, filtering: test !== null }
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
