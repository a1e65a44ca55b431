import {
  createSavedView,
  deleteSavedView,
  type FieldRef,
  fieldIdOf,
  fieldRef,
  GROUP_KEYS,
  GROUPABLE_FIELD_TYPES,
  type GroupKey,
  getDefaultViewId,
  isFieldRef,
  LIST_COLUMNS,
  listSavedViews,
  MAX_NAME,
  type SavedView,
  setDefaultView,
  updateSavedView,
  type ViewState,
} from '@taskflow/board'
import { Bookmark, Check, Columns3, Layers, Star } from 'lucide-react'
import { DropdownMenu, Popover } from 'radix-ui'
import { memo, useEffect, useRef, useState } from 'react'
import type * as Y from 'yjs'
import { cx } from '../../ui/primitives'
import { useBoardEnv } from '../board/board-context'
import { MENU_CONTENT, MENU_ITEM } from './FilterBar'
import { LIST_COLUMN_DEFS } from './ListView'
import { PERSONAL_PREFIX, usePersonalViews } from './personal-views'
import { VIEWS } from './registry'
import { sameState } from './view-search'

/** Tabs of the registered views; the current one is marked for assistive technology. */
export const ViewTabs = memo(function ViewTabs(props: {
  state: ViewState
  onChange: (next: ViewState) => void
}) {
  return (
    <div
      role="tablist"
      aria-label="Views"
      className="flex items-center gap-0.5 rounded-lg bg-slate-100 p-0.5 dark:bg-slate-800"
    >
      {VIEWS.map((v) => {
        const selected = props.state.kind === v.kind
        return (
          <button
            key={v.kind}
            type="button"
            role="tab"
            aria-selected={selected}
            data-testid={`view-tab-${v.kind}`}
            onClick={() => !selected && props.onChange({ ...props.state, kind: v.kind })}
            className={cx(
              'flex items-center gap-1.5 rounded-md px-2.5 py-1 text-sm font-medium',
              selected
                ? 'bg-white text-slate-900 shadow-sm dark:bg-slate-950 dark:text-slate-100'
                : 'text-slate-600 hover:text-slate-900 dark:text-slate-300',
            )}
          >
            <v.icon className="size-4" /> {v.label}
          </button>
        )
      })}
    </div>
  )
})

/**
 * "Show subtasks" (on by default): off, every view shows top-level tasks only. Kept in the
 * view state, so the URL and saved views carry it.
 */
export const SubtasksToggle = memo(function SubtasksToggle(props: {
  state: ViewState
  onChange: (next: ViewState) => void
}) {
  const shown = props.state.hideSubtasks !== true
  return (
    <button
      type="button"
      role="switch"
      aria-checked={shown}
      data-testid="show-subtasks"
      onClick={() => {
        const { hideSubtasks: _, ...rest } = props.state
        props.onChange(shown ? { ...rest, hideSubtasks: true } : rest)
      }}
      className="flex h-8 items-center gap-1.5 rounded-md px-2 text-sm text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
    >
      <span
        aria-hidden
        className={cx(
          'relative inline-block h-4 w-7 rounded-full transition-colors',
          shown ? 'bg-indigo-600' : 'bg-slate-300 dark:bg-slate-600',
        )}
      >
        <span
          className={cx(
            'absolute top-0.5 size-3 rounded-full bg-white transition-all',
            shown ? 'left-3.5' : 'left-0.5',
          )}
        />
      </span>
      Show subtasks
    </button>
  )
})

const GROUP_LABELS: Record<GroupKey, string> = {
  none: 'No grouping',
  status: 'Status (column)',
  assignee: 'Assignee',
  priority: 'Priority',
  label: 'Label',
  dueWeek: 'Due week',
}

/** Grouping and visible columns, for views that use them. */
export const ListOptions = memo(function ListOptions(props: {
  state: ViewState
  onChange: (next: ViewState) => void
  group: boolean
  columns: boolean
}) {
  const { state } = props
  const { fields } = useBoardEnv()
  return (
    <>
      {props.group && (
        <DropdownMenu.Root>
          <DropdownMenu.Trigger asChild>
            <button
              type="button"
              data-testid="group-menu"
              className="flex h-8 items-center gap-1 rounded-md px-2 text-sm text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
            >
              <Layers className="size-4" />{' '}
              {state.group === 'none'
                ? 'Group'
                : isFieldRef(state.group)
                  ? (fields.find((f) => f.id === fieldIdOf(state.group as FieldRef))?.name ??
                    'Group')
                  : GROUP_LABELS[state.group]}
            </button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content align="end" sideOffset={6} className={MENU_CONTENT}>
              <DropdownMenu.RadioGroup
                value={state.group}
                onValueChange={(g) => props.onChange({ ...state, group: g as GroupKey | FieldRef })}
              >
                {GROUP_KEYS.map((g) => (
                  <DropdownMenu.RadioItem
                    key={g}
                    value={g}
                    className={cx(MENU_ITEM, 'relative pl-7')}
                  >
                    <DropdownMenu.ItemIndicator className="absolute left-2">
                      <Check className="size-3.5" />
                    </DropdownMenu.ItemIndicator>
                    {GROUP_LABELS[g]}
                  </DropdownMenu.RadioItem>
                ))}
                {fields
                  .filter((f) => (GROUPABLE_FIELD_TYPES as readonly string[]).includes(f.type))
                  .map((f) => (
                    <DropdownMenu.RadioItem
                      key={f.id}
                      value={fieldRef(f.id)}
                      className={cx(MENU_ITEM, 'relative pl-7')}
                    >
                      <DropdownMenu.ItemIndicator className="absolute left-2">
                        <Check className="size-3.5" />
                      </DropdownMenu.ItemIndicator>
                      {f.name}
                    </DropdownMenu.RadioItem>
                  ))}
              </DropdownMenu.RadioGroup>
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      )}
      {props.columns && (
        <DropdownMenu.Root>
          <DropdownMenu.Trigger asChild>
            <button
              type="button"
              data-testid="columns-menu"
              className="flex h-8 items-center gap-1 rounded-md px-2 text-sm text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
            >
              <Columns3 className="size-4" /> Columns
            </button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content align="end" sideOffset={6} className={MENU_CONTENT}>
              {LIST_COLUMNS.filter((c) => c !== 'title').map((c) => (
                <DropdownMenu.CheckboxItem
                  key={c}
                  className={cx(MENU_ITEM, 'relative pl-7')}
                  checked={state.columns.includes(c)}
                  onSelect={(e) => e.preventDefault()}
                  onCheckedChange={(on) =>
                    props.onChange({
                      ...state,
                      columns: on ? [...state.columns, c] : state.columns.filter((x) => x !== c),
                    })
                  }
                >
                  <DropdownMenu.ItemIndicator className="absolute left-2">
                    <Check className="size-3.5" />
                  </DropdownMenu.ItemIndicator>
                  {LIST_COLUMN_DEFS[c].label}
                </DropdownMenu.CheckboxItem>
              ))}
              {fields.map((f) => {
                const ref = fieldRef(f.id)
                return (
                  <DropdownMenu.CheckboxItem
                    key={ref}
                    className={cx(MENU_ITEM, 'relative pl-7')}
                    checked={state.columns.includes(ref)}
                    onSelect={(e) => e.preventDefault()}
                    onCheckedChange={(on) =>
                      props.onChange({
                        ...state,
                        columns: on
                          ? [...state.columns, ref]
                          : state.columns.filter((x) => x !== ref),
                      })
                    }
                  >
                    <DropdownMenu.ItemIndicator className="absolute left-2">
                      <Check className="size-3.5" />
                    </DropdownMenu.ItemIndicator>
                    {f.name}
                  </DropdownMenu.CheckboxItem>
                )
              })}
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      )}
    </>
  )
})

/** The document's shared views, re-read when they change (a handful; cheap). */
export function useSharedViews(doc: Y.Doc): { views: SavedView[]; defaultId: string | null } {
  const [value, setValue] = useState(() => ({
    views: listSavedViews(doc),
    defaultId: getDefaultViewId(doc),
  }))
  useEffect(() => {
    const views = doc.getMap('views')
    const meta = doc.getMap('meta')
    const refresh = () => setValue({ views: listSavedViews(doc), defaultId: getDefaultViewId(doc) })
    refresh()
    views.observeDeep(refresh)
    meta.observe(refresh)
    return () => {
      views.unobserveDeep(refresh)
      meta.unobserve(refresh)
    }
  }, [doc])
  return value
}

/**
 * Saved views: choose one (its state goes into the URL), save the current state as a shared
 * view (in the board document: syncs, merges, works offline) or a personal one, update the
 * chosen view with the current state, make it the project's default, delete it.
 */
export function SavedViewsMenu(props: {
  state: ViewState
  savedViewId: string | undefined
  onChoose: (state: ViewState, savedViewId: string | null) => void
}) {
  const { doc, userId, projectId, readOnly } = useBoardEnv()
  const shared = useSharedViews(doc)
  const personal = usePersonalViews(userId, projectId)
  const [saving, setSaving] = useState(false)
  // The form opens once the menu has closed and given focus back, or that focus move would
  // count as a click outside the new popover and close it again.
  const saveNext = useRef(false)
  const current =
    shared.views.find((v) => v.id === props.savedViewId) ??
    personal.views.find((v) => `${PERSONAL_PREFIX}${v.id}` === props.savedViewId)
  const isShared = current !== undefined && !props.savedViewId?.startsWith(PERSONAL_PREFIX)
  const modified = current !== undefined && !sameState(current.state, props.state)
  const ctx = { userId }

  return (
    <Popover.Root open={saving} onOpenChange={setSaving}>
      <DropdownMenu.Root>
        <Popover.Anchor asChild>
          <DropdownMenu.Trigger asChild>
            <button
              type="button"
              data-testid="saved-views-menu"
              className="flex h-8 max-w-48 items-center gap-1 rounded-md px-2 text-sm font-medium text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
            >
              <Bookmark className="size-4 shrink-0" />
              <span className="truncate" data-testid="current-view-name">
                {current ? current.name : 'Views'}
              </span>
              {modified && (
                <span className="text-xs text-amber-600" title="Changed since saved">
                  •
                </span>
              )}
            </button>
          </DropdownMenu.Trigger>
        </Popover.Anchor>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            align="end"
            sideOffset={6}
            collisionPadding={8}
            className={MENU_CONTENT}
            onCloseAutoFocus={(e) => {
              if (!saveNext.current) return
              saveNext.current = false
              e.preventDefault()
              setSaving(true)
            }}
          >
            <DropdownMenu.Label className="px-2 py-1 text-xs font-semibold text-slate-500">
              Shared with the project
            </DropdownMenu.Label>
            {shared.views.length === 0 && (
              <p className="px-2 py-1 text-xs text-slate-400">None yet</p>
            )}
            {shared.views.map((v) => (
              <DropdownMenu.Item
                key={v.id}
                className={MENU_ITEM}
                data-testid="saved-view"
                onSelect={() => props.onChoose(v.state, v.id)}
              >
                <span className="flex-1 truncate">{v.name}</span>
                {shared.defaultId === v.id && (
                  <Star
                    className="size-3.5 fill-amber-400 text-amber-400"
                    aria-label="Project default"
                  />
                )}
              </DropdownMenu.Item>
            ))}
            <DropdownMenu.Label className="mt-1 px-2 py-1 text-xs font-semibold text-slate-500">
              Only me
            </DropdownMenu.Label>
            {personal.views.length === 0 && (
              <p className="px-2 py-1 text-xs text-slate-400">None yet</p>
            )}
            {personal.views.map((v) => (
              <DropdownMenu.Item
                key={v.id}
                className={MENU_ITEM}
                data-testid="personal-view"
                onSelect={() => props.onChoose(v.state, `${PERSONAL_PREFIX}${v.id}`)}
              >
                <span className="flex-1 truncate">{v.name}</span>
              </DropdownMenu.Item>
            ))}
            <DropdownMenu.Separator className="my-1 h-px bg-slate-200 dark:bg-slate-700" />
            <DropdownMenu.Item
              className={MENU_ITEM}
              data-testid="save-view"
              onSelect={() => {
                saveNext.current = true
              }}
            >
              Save current view as…
            </DropdownMenu.Item>
            {current && modified && (isShared ? !readOnly : true) && (
              <DropdownMenu.Item
                className={MENU_ITEM}
                onSelect={() =>
                  isShared
                    ? updateSavedView(doc, current.id, { state: props.state }, ctx)
                    : personal.save(current.name, props.state, current.id)
                }
              >
                Update “{current.name}”
              </DropdownMenu.Item>
            )}
            {current && isShared && !readOnly && (
              <DropdownMenu.Item
                className={MENU_ITEM}
                onSelect={() =>
                  setDefaultView(doc, shared.defaultId === current.id ? null : current.id, ctx)
                }
              >
                {shared.defaultId === current.id
                  ? 'Stop opening the project with it'
                  : 'Open the project with this view'}
              </DropdownMenu.Item>
            )}
            {current && (isShared ? !readOnly : true) && (
              <DropdownMenu.Item
                className={cx(MENU_ITEM, 'text-red-600')}
                onSelect={() => {
                  if (isShared) deleteSavedView(doc, current.id, ctx)
                  else personal.remove(current.id)
                  props.onChoose(props.state, null)
                }}
              >
                Delete “{current.name}”
              </DropdownMenu.Item>
            )}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={6}
          className="z-40 w-72 rounded-md border border-slate-200 bg-white p-3 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <SaveForm
            canShare={!readOnly}
            onSave={(name, share) => {
              if (share) {
                const r = createSavedView(doc, { name, state: props.state }, ctx)
                if (r.ok) props.onChoose(props.state, r.value.id)
              } else {
                const id = personal.save(name, props.state)
                props.onChoose(props.state, `${PERSONAL_PREFIX}${id}`)
              }
              setSaving(false)
            }}
          />
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}

function SaveForm(props: { canShare: boolean; onSave: (name: string, share: boolean) => void }) {
  const [name, setName] = useState('')
  const [share, setShare] = useState(props.canShare)
  return (
    <form
      data-testid="save-view-form"
      onSubmit={(e) => {
        e.preventDefault()
        if (name.trim()) props.onSave(name, share && props.canShare)
      }}
      className="flex flex-col gap-2"
    >
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-slate-600 dark:text-slate-300">View name</span>
        <input
          // biome-ignore lint/a11y/noAutofocus: the popover opens to type a name
          autoFocus
          value={name}
          maxLength={MAX_NAME}
          onChange={(e) => setName(e.target.value)}
          className="h-8 rounded-md border border-slate-300 px-2 dark:border-slate-700 dark:bg-slate-950"
        />
      </label>
      <fieldset className="flex gap-3 text-xs">
        <label className="flex items-center gap-1">
          <input
            type="radio"
            name="share"
            checked={share}
            disabled={!props.canShare}
            onChange={() => setShare(true)}
          />{' '}
          Shared with the project
        </label>
        <label className="flex items-center gap-1">
          <input type="radio" name="share" checked={!share} onChange={() => setShare(false)} /> Only
          me
        </label>
      </fieldset>
      <button
        type="submit"
        className="self-end rounded-md bg-indigo-600 px-3 py-1 text-sm font-medium text-white hover:bg-indigo-700"
      >
        Save view
      </button>
    </form>
  )
}
