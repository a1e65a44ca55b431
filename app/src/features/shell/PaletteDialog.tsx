import { useRouter } from '@tanstack/react-router'
import { Command, defaultFilter } from 'cmdk'
import { Dialog } from 'radix-ui'
import { useEffect, useRef, useState } from 'react'
import { useProjects } from '../projects/use-projects'
import {
  type PaletteGroup,
  type PaletteItem,
  type PaletteMode,
  palette,
  readRecent,
  rememberRecent,
  usePalette,
} from './palette-store'

const PLACEHOLDER: Record<PaletteMode, string> = {
  root: 'Type a command, a project or a task…',
  move: 'Move to column…',
  assign: 'Assign to…',
  label: 'Toggle label…',
  priority: 'Set priority…',
  due: 'Set due date (today, tomorrow, YYYY-MM-DD)…',
  create: 'New task title…',
  subtask: 'New subtask title…',
}

/* Items match on their label and keywords, not their id; cmdk's fuzzy scorer. */
const filter = (_value: string, search: string, keywords?: string[]) =>
  defaultFilter((keywords ?? []).join(' '), search)

/** The palette itself (cmdk): its own chunk, loaded the first time the palette opens. */
export function PaletteDialog() {
  const { open, mode } = usePalette()
  return (
    <Dialog.Root open={open} onOpenChange={(o) => (o ? palette.open() : palette.close())}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/30" />
        <Dialog.Content
          aria-label="Command palette"
          aria-describedby={undefined}
          className="fixed left-1/2 top-[15vh] z-50 w-[min(40rem,calc(100vw-2rem))] -translate-x-1/2 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-2xl dark:border-slate-700 dark:bg-slate-900"
          onCloseAutoFocus={(e) => {
            // Focus goes back ourselves, a frame later, and only while the palette is still
            // closed: Radix's own return (a timer) could land after a quick reopen and take
            // the focus from the new palette's field. An action that made something new
            // focuses it instead of the element before.
            e.preventDefault()
            const then = palette.takeAfterClose()
            const back = palette.takeReturnFocus()
            requestAnimationFrame(() => {
              if (palette.get().open) return
              if (then) then()
              else back?.focus({ preventScroll: true })
            })
          }}
        >
          <Dialog.Title className="sr-only">Command palette</Dialog.Title>
          <Command label="Command palette" filter={filter} vimBindings={false}>
            <PaletteBody key={mode} mode={mode} />
          </Command>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}

function PaletteBody({ mode }: { mode: PaletteMode }) {
  const [query, setQuery] = useState('')
  const inputRef = useRef<HTMLInputElement>(null)
  // A new mode (an action's choices) starts with the field focused, ready for typing.
  useEffect(() => inputRef.current?.focus(), [])
  const router = useRouter()
  const shell = useShellGroups()
  const groups = [...palette.groups(mode, query), ...(mode === 'root' ? shell : [])]
  const run = (item: PaletteItem) => {
    if (item.recent) rememberRecent({ label: item.label, href: item.recent.href })
    const next = item.run()
    if (next) palette.setMode(next)
    else palette.close()
    if (item.recent) router.history.push(item.recent.href)
  }
  return (
    <>
      <Command.Input
        ref={inputRef}
        value={query}
        onValueChange={setQuery}
        placeholder={PLACEHOLDER[mode]}
        aria-label={PLACEHOLDER[mode]}
        className="w-full border-b border-slate-200 bg-transparent px-4 py-3 text-sm outline-none dark:border-slate-700"
        onKeyDown={(e) => {
          // Backspace on an empty field steps back from an action's choices.
          if (e.key === 'Backspace' && query === '' && mode !== 'root') palette.setMode('root')
        }}
      />
      <Command.List className="max-h-[50vh] overflow-y-auto p-1 text-sm">
        <Command.Empty className="px-3 py-6 text-center text-slate-500">No results</Command.Empty>
        {groups
          .filter((g) => g.items.length > 0)
          .map((g) => (
            <Command.Group
              key={g.heading}
              heading={g.heading}
              className="[&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:py-1.5 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-medium [&_[cmdk-group-heading]]:text-slate-500"
            >
              {g.items.map((item) => (
                <Command.Item
                  key={item.id}
                  value={item.id}
                  keywords={[item.label, ...(item.keywords ?? [])]}
                  forceMount={item.always}
                  onSelect={() => run(item)}
                  className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 data-[selected=true]:bg-indigo-50 data-[selected=true]:text-indigo-900 dark:data-[selected=true]:bg-indigo-950 dark:data-[selected=true]:text-indigo-100"
                >
                  <span className="min-w-0 flex-1 truncate">{item.label}</span>
                  {item.hint && <span className="text-xs text-slate-400">{item.hint}</span>}
                </Command.Item>
              ))}
            </Command.Group>
          ))}
      </Command.List>
    </>
  )
}

const PAGES: ReadonlyArray<{ label: string; href: string; keywords?: string[] }> = [
  { label: 'Projects', href: '/projects', keywords: ['home', 'boards'] },
  { label: 'My tasks', href: '/my-tasks', keywords: ['assigned', 'mine'] },
  { label: 'Profile', href: '/profile', keywords: ['account', 'settings'] },
  { label: 'API tokens', href: '/settings/tokens', keywords: ['keys', 'settings'] },
  { label: 'Import a project', href: '/projects/import', keywords: ['trello', 'csv'] },
]

/** Recent items, projects (from the cached list) and pages: everywhere, not just on a board. */
function useShellGroups(): PaletteGroup[] {
  const { projects } = useProjects()
  const recent = readRecent()
  const jump = (id: string, label: string, href: string, keywords?: string[]): PaletteItem => ({
    id,
    label,
    keywords,
    recent: { href },
    run: () => undefined,
  })
  return [
    {
      heading: 'Recent',
      items: recent.map((r) => jump(`recent:${r.href}`, r.label, r.href, ['recent'])),
    },
    {
      heading: 'Projects',
      items: (projects ?? [])
        .filter((p) => !p.archivedAt)
        .flatMap((p) => [
          jump(`project:${p.id}`, p.name, `/projects/${p.id}`, ['project', 'board']),
          jump(`reports:${p.id}`, `${p.name}: Reports`, `/projects/${p.id}/reports`, ['charts']),
          jump(`activity:${p.id}`, `${p.name}: Activity`, `/projects/${p.id}/activity`, ['feed']),
          jump(`settings:${p.id}`, `${p.name}: Settings`, `/projects/${p.id}/settings`, [
            'members',
          ]),
        ]),
    },
    {
      heading: 'Pages',
      items: PAGES.map((p) => jump(`page:${p.href}`, p.label, p.href, p.keywords)),
    },
  ]
}
