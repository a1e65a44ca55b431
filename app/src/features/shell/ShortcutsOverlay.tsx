import { Dialog } from 'radix-ui'
import { useState, useSyncExternalStore } from 'react'
import { runAction, shortcutRegistry, useShortcuts } from './shortcuts'

/**
 * `?` lists every shortcut registered right now (the page on screen adds its own), and
 * registers the app-wide ones whose action another feature provides: `/` search and
 * `f` filter do nothing (and let the key through) where no view provides them.
 */
export function ShortcutsOverlay() {
  const [open, setOpen] = useState(false)
  useShortcuts(() => [
    {
      key: '?',
      keys: '?',
      description: 'Show keyboard shortcuts',
      group: 'General',
      run: () => {
        setOpen(true)
        return undefined
      },
    },
    {
      key: '/',
      keys: '/',
      description: 'Search',
      group: 'General',
      run: () => (runAction('search') ? undefined : false),
    },
    {
      key: 'f',
      keys: 'f',
      description: 'Filter the view',
      group: 'General',
      run: () => (runAction('filter') ? undefined : false),
    },
  ])
  useSyncExternalStore(shortcutRegistry.subscribe, shortcutRegistry.version)
  const groups = new Map<string, Map<string, string>>()
  for (const s of shortcutRegistry.list()) {
    const g = groups.get(s.group) ?? new Map<string, string>()
    g.set(s.keys, s.description)
    groups.set(s.group, g)
  }
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/30" />
        <Dialog.Content
          data-testid="shortcuts-overlay"
          className="fixed left-1/2 top-[10vh] z-50 max-h-[80vh] w-[min(32rem,calc(100vw-2rem))] -translate-x-1/2 overflow-y-auto rounded-xl border border-slate-200 bg-white p-5 shadow-2xl dark:border-slate-700 dark:bg-slate-900"
        >
          <Dialog.Title className="mb-1 text-base font-semibold">Keyboard shortcuts</Dialog.Title>
          <Dialog.Description className="mb-3 text-sm text-slate-500">
            They never fire while you type in a field.
          </Dialog.Description>
          {[...groups].map(([group, keys]) => (
            <section key={group} className="mb-3">
              <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">
                {group}
              </h3>
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                {[...keys].map(([k, description]) => (
                  <div key={k} className="contents">
                    <dt>
                      <kbd className="rounded border border-slate-300 px-1.5 py-0.5 font-mono text-xs dark:border-slate-600">
                        {k}
                      </kbd>
                    </dt>
                    <dd>{description}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
