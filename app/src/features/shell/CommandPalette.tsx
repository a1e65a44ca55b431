import { lazy, Suspense, useState } from 'react'
import { palette, usePalette } from './palette-store'
import { useShortcuts } from './shortcuts'

const PaletteDialog = lazy(() =>
  import('./PaletteDialog').then((m) => ({ default: m.PaletteDialog })),
)

/**
 * ⌘K / Ctrl+K: jump anywhere, run actions on the focused or selected tasks. The shortcut
 * and the registry are always there; cmdk and the dialog load on the first open, so they
 * weigh on no route's first paint.
 */
export function CommandPalette() {
  const { open } = usePalette()
  const [loaded, setLoaded] = useState(false)
  if (open && !loaded) setLoaded(true)
  useShortcuts(() => [
    {
      key: 'k',
      mod: true,
      inInputs: true,
      keys: '⌘K / Ctrl+K',
      description: 'Open the command palette',
      group: 'General',
      run: () => {
        if (palette.get().open) palette.close()
        else palette.open()
        return undefined
      },
    },
  ])
  return loaded ? (
    <Suspense fallback={null}>
      <PaletteDialog />
    </Suspense>
  ) : null
}
