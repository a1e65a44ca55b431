import { type Editor, useEditorState } from '@tiptap/react'
import {
  Bold,
  Code,
  Heading2,
  Italic,
  Link2,
  List,
  ListOrdered,
  type LucideIcon,
  Quote,
  SquareCode,
  Strikethrough,
} from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { cx } from '../../ui/primitives'

interface Tool {
  label: string
  /** Shown in the tooltip: StarterKit's shortcut for it. */
  keys?: string
  icon: LucideIcon
  isActive: (e: Editor) => boolean
  run: (e: Editor) => void
}

const TOOLS: Tool[] = [
  {
    label: 'Bold',
    keys: 'Ctrl+B',
    icon: Bold,
    isActive: (e) => e.isActive('bold'),
    run: (e) => e.chain().focus().toggleBold().run(),
  },
  {
    label: 'Italic',
    keys: 'Ctrl+I',
    icon: Italic,
    isActive: (e) => e.isActive('italic'),
    run: (e) => e.chain().focus().toggleItalic().run(),
  },
  {
    label: 'Strikethrough',
    keys: 'Ctrl+Shift+S',
    icon: Strikethrough,
    isActive: (e) => e.isActive('strike'),
    run: (e) => e.chain().focus().toggleStrike().run(),
  },
  {
    label: 'Inline code',
    keys: 'Ctrl+E',
    icon: Code,
    isActive: (e) => e.isActive('code'),
    run: (e) => e.chain().focus().toggleCode().run(),
  },
  {
    label: 'Heading',
    keys: 'Ctrl+Alt+2',
    icon: Heading2,
    isActive: (e) => e.isActive('heading', { level: 2 }),
    run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(),
  },
  {
    label: 'Bulleted list',
    keys: 'Ctrl+Shift+8',
    icon: List,
    isActive: (e) => e.isActive('bulletList'),
    run: (e) => e.chain().focus().toggleBulletList().run(),
  },
  {
    label: 'Numbered list',
    keys: 'Ctrl+Shift+7',
    icon: ListOrdered,
    isActive: (e) => e.isActive('orderedList'),
    run: (e) => e.chain().focus().toggleOrderedList().run(),
  },
  {
    label: 'Quote',
    keys: 'Ctrl+Shift+B',
    icon: Quote,
    isActive: (e) => e.isActive('blockquote'),
    run: (e) => e.chain().focus().toggleBlockquote().run(),
  },
  {
    label: 'Code block',
    keys: 'Ctrl+Alt+C',
    icon: SquareCode,
    isActive: (e) => e.isActive('codeBlock'),
    run: (e) => e.chain().focus().toggleCodeBlock().run(),
  },
]

const buttonClass =
  'inline-flex size-7 items-center justify-center rounded text-slate-600 hover:bg-slate-100 hover:text-slate-900 aria-pressed:bg-indigo-100 aria-pressed:text-indigo-700 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100 dark:aria-pressed:bg-indigo-950 dark:aria-pressed:text-indigo-300'

/** Formatting buttons for the description; only rendered for people who may edit it. */
export function DescriptionToolbar({ editor }: { editor: Editor }) {
  // Re-rendered only when an active state flips, not on every keystroke.
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => [...TOOLS.map((t) => t.isActive(e)), e.isActive('link')],
  })
  const [linkOpen, setLinkOpen] = useState(false)
  const linkActive = active[TOOLS.length] ?? false

  return (
    <div className="space-y-1">
      <div
        role="toolbar"
        aria-label="Description formatting"
        className="flex flex-wrap items-center gap-0.5 border-b border-slate-200 px-1 pb-1 dark:border-slate-800"
      >
        {TOOLS.map((tool, i) => (
          <button
            key={tool.label}
            type="button"
            aria-label={tool.label}
            aria-pressed={active[i] ?? false}
            title={tool.keys ? `${tool.label} (${tool.keys})` : tool.label}
            // Keep the editor's focus and selection while clicking.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => tool.run(editor)}
            className={buttonClass}
          >
            <tool.icon className="size-4" />
          </button>
        ))}
        <button
          type="button"
          aria-label={linkActive ? 'Remove link' : 'Link'}
          aria-pressed={linkActive}
          aria-expanded={linkOpen}
          title={linkActive ? 'Remove link' : 'Link'}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            if (linkActive) {
              editor.chain().focus().extendMarkRange('link').unsetLink().run()
              setLinkOpen(false)
            } else setLinkOpen((o) => !o)
          }}
          className={buttonClass}
        >
          <Link2 className="size-4" />
        </button>
      </div>
      {linkOpen && <LinkForm editor={editor} onDone={() => setLinkOpen(false)} />}
    </div>
  )
}

/** Turns the selection (or, with nothing selected, the typed URL itself) into a link. */
function LinkForm({ editor, onDone }: { editor: Editor; onDone: () => void }) {
  const [url, setUrl] = useState('')
  const [error, setError] = useState<string | null>(null)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const href = normaliseHref(url)
    if (!href) return setError('Enter a web address, e.g. https://example.com')
    const { empty } = editor.state.selection
    const chain = editor.chain().focus()
    if (empty)
      chain.insertContent({
        type: 'text',
        text: url.trim(),
        marks: [{ type: 'link', attrs: { href } }],
      })
    else chain.extendMarkRange('link').setLink({ href })
    chain.run()
    onDone()
  }
  return (
    <form onSubmit={submit} className="flex items-center gap-2 px-1">
      <input
        // biome-ignore lint/a11y/noAutofocus: the form opens on purpose to type the address
        autoFocus
        aria-label="Link address"
        placeholder="https://"
        value={url}
        data-escape-closes-self="true"
        onKeyDown={(e) => {
          if (e.key === 'Escape') onDone()
        }}
        onChange={(e) => {
          setUrl(e.target.value)
          setError(null)
        }}
        className={cx(
          'h-8 flex-1 rounded-md border bg-white px-2 text-sm dark:bg-slate-900',
          error ? 'border-red-500' : 'border-slate-300 dark:border-slate-700',
        )}
      />
      <button
        type="submit"
        className="h-8 rounded-md bg-indigo-600 px-3 text-sm font-medium text-white hover:bg-indigo-500"
      >
        Apply
      </button>
      {error && <span className="text-xs text-red-600">{error}</span>}
    </form>
  )
}

/** http(s) and mailto only; a bare domain gets https://. Null for anything else. */
export function normaliseHref(input: string): string | null {
  const raw = input.trim()
  if (!raw || /\s/.test(raw)) return null
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`
  try {
    const u = new URL(withScheme)
    if (u.protocol === 'mailto:') return u.href
    if ((u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.includes('.'))
      return u.href
  } catch {
    // not a URL
  }
  return null
}
