import { listSavedViews, type SavedView, type ViewState } from '@taskflow/board'
import type * as Y from 'yjs'
import { type PaletteGroup, usePaletteSource } from '../shell/palette-store'
import { PERSONAL_PREFIX, type PersonalView, readPersonalViews } from './personal-views'
import { VIEWS } from './registry'

/**
 * The palette's "jump to any view" entries for the open project: each view tab (keeping the
 * current filter, as a tab click does) and each saved view, shared and personal.
 */
export function viewPaletteGroups(
  state: ViewState,
  shared: readonly SavedView[],
  personal: readonly PersonalView[],
  go: { kind: (next: ViewState) => void; saved: (state: ViewState, id: string) => void },
): PaletteGroup[] {
  const saved = (v: { id: string; name: string; state: ViewState }, id: string, hint: string) => ({
    id: `saved-view:${id}`,
    label: v.name,
    hint,
    keywords: ['view', 'saved'],
    run: () => {
      go.saved(v.state, id)
      return undefined
    },
  })
  return [
    {
      heading: 'Views',
      items: [
        ...VIEWS.map((v) => ({
          id: `view:${v.kind}`,
          label: `${v.label} view`,
          keywords: ['view', 'switch', 'tab'],
          hint: v.kind === state.kind ? 'Current' : undefined,
          run: () => {
            if (v.kind !== state.kind) go.kind({ ...state, kind: v.kind })
            return undefined
          },
        })),
        ...shared.map((v) => saved(v, v.id, 'Shared view')),
        ...personal.map((v) => saved(v, `${PERSONAL_PREFIX}${v.id}`, 'Personal view')),
      ],
    },
  ]
}

/** Adds the open project's views to the palette's root list while the project is shown. */
export function useViewPaletteSource(
  env: { doc: Y.Doc; userId: string; projectId: string },
  state: ViewState,
  go: { kind: (next: ViewState) => void; saved: (state: ViewState, id: string) => void },
): void {
  usePaletteSource((mode) =>
    mode === 'root'
      ? viewPaletteGroups(
          state,
          listSavedViews(env.doc),
          readPersonalViews(env.userId, env.projectId),
          go,
        )
      : [],
  )
}
