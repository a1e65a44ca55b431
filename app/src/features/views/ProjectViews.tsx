import {
  type BoardView,
  boardTasks,
  getDefaultViewId,
  listSavedViews,
  type ViewFilter,
  type ViewState,
} from '@taskflow/board'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { PresenceUser } from '../../sync/presence'
import { useBoardEnv } from '../board/board-context'
import './all-views'
import { localeWeekStart } from './calendar/date-math'
import { FilterBar } from './FilterBar'
import { viewFor } from './registry'
import { useFilteredBoard, useQueryEnv, useViewState } from './use-view-query'
import { ListOptions, SavedViewsMenu, SubtasksToggle, ViewTabs } from './ViewBar'
import { useViewPaletteSource } from './view-commands'
import { isBareSearch } from './view-search'

// The title filter reaches the URL this long after the last key (every key filters at once).
const TEXT_TO_URL_MS = 300

/**
 * The project's views over one board document: tabs, the filter bar, saved views, and the
 * current view. Everything the views show comes from the one filtered board computed here.
 */
export function ProjectViews(props: {
  view: BoardView
  presence: readonly PresenceUser[]
  /** The document is loaded (the project's default view can be read). */
  loaded: boolean
}) {
  const boardEnv = useBoardEnv()
  const { doc } = boardEnv
  const { search, state: urlState, setState } = useViewState()
  const [text, setText] = useState(urlState.filter.text ?? '')
  const textTimer = useRef<ReturnType<typeof setTimeout>>(undefined)
  // The URL changed by itself (back button, a saved view chosen): the box follows it.
  const urlText = urlState.filter.text ?? ''
  const lastUrlText = useRef(urlText)
  if (lastUrlText.current !== urlText) {
    lastUrlText.current = urlText
    if (text !== urlText) setText(urlText)
  }
  const state: ViewState = useMemo(
    () => ({ ...urlState, filter: { ...urlState.filter, text } }),
    [urlState, text],
  )
  // The view bar's parts (tabs, filter menu, options) see the URL's state, whose text lags the
  // box by TEXT_TO_URL_MS, so a keystroke does not re-render them (memo); what they change
  // is applied with the box's text of that moment.
  const live = useRef({ state, text })
  live.current = { state, text }
  const env = useQueryEnv(props.view, state.weekStartsOn ?? localeWeekStart())
  const { filtered } = useFilteredBoard(props.view, state, env)

  // Opening the project without a view in the URL shows the project's default view.
  const appliedDefault = useRef(false)
  useEffect(() => {
    if (!props.loaded || appliedDefault.current) return
    appliedDefault.current = true
    if (!isBareSearch(search)) return
    const id = getDefaultViewId(doc)
    const saved = id ? listSavedViews(doc).find((v) => v.id === id) : undefined
    if (saved) setState(saved.state, { savedViewId: saved.id, replace: true })
  }, [props.loaded, search, doc, setState])

  useEffect(() => () => clearTimeout(textTimer.current), [])
  const onText = (next: string) => {
    setText(next)
    clearTimeout(textTimer.current)
    textTimer.current = setTimeout(
      () =>
        setState({ ...urlState, filter: { ...urlState.filter, text: next } }, { replace: true }),
      TEXT_TO_URL_MS,
    )
  }
  const update = useCallback(
    (next: ViewState, opts?: { replace?: boolean }) => {
      clearTimeout(textTimer.current)
      setState(next, opts)
    },
    [setState],
  )
  const choose = useCallback(
    (next: ViewState, id: string | null) => {
      setText(next.filter.text ?? '')
      clearTimeout(textTimer.current)
      setState(next, { savedViewId: id })
    },
    [setState],
  )
  const withText = (next: ViewState): ViewState => ({
    ...next,
    filter: { ...next.filter, text: live.current.text },
  })
  // biome-ignore lint/correctness/useExhaustiveDependencies: withText reads a ref
  const onTab = useCallback((next: ViewState) => update(withText(next)), [update])
  // biome-ignore lint/correctness/useExhaustiveDependencies: withText reads a ref
  const onOption = useCallback(
    (next: ViewState) => update(withText(next), { replace: true }),
    [update],
  )
  // biome-ignore lint/correctness/useExhaustiveDependencies: withText reads a ref
  const onFilter = useCallback(
    (filter: ViewFilter) => update(withText({ ...live.current.state, filter }), { replace: true }),
    [update],
  )
  const tasks = useCallback(() => boardTasks(props.view), [props.view])
  useViewPaletteSource(boardEnv, state, { kind: (next) => update(next), saved: choose })
  const def = viewFor(state.kind)
  const View = def.component

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div
        className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-1.5 dark:border-slate-800"
        data-testid="view-bar"
      >
        <ViewTabs state={urlState} onChange={onTab} />
        <FilterBar
          filter={urlState.filter}
          onChange={onFilter}
          text={text}
          onText={onText}
          tasks={tasks}
        />
        <div className="flex-1" />
        <SubtasksToggle state={urlState} onChange={onOption} />
        <ListOptions
          state={urlState}
          onChange={onOption}
          group={def.options.group}
          columns={def.options.columns}
        />
        <SavedViewsMenu state={state} savedViewId={search.sv} onChoose={choose} />
      </div>
      <div className="min-h-0 flex-1">
        <View
          filtered={filtered}
          full={props.view}
          state={state}
          setState={update}
          env={env}
          presence={props.presence}
        />
      </div>
    </div>
  )
}
