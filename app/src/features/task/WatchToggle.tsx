import { Eye, EyeOff } from 'lucide-react'
import { useEffect, useRef, useState } from 'react'
import { getWatching, setWatching } from '../../api/collab.api'
import { Button } from '../../ui/primitives'

/** Watch / unwatch a task (notifications about its comments and completion). Online only. */
export function WatchToggle(props: { projectId: string; taskId: string }) {
  const { projectId, taskId } = props
  const [watching, setState] = useState<boolean | null>(null)
  const [busy, setBusy] = useState(false)
  /** Set once the user toggled: a late answer to an earlier read must not undo the click. */
  const toggled = useRef(false)

  useEffect(() => {
    let cancelled = false
    toggled.current = false
    setState(null)
    const load = () =>
      getWatching(projectId, taskId).then(
        (w) => !cancelled && !toggled.current && setState(w),
        () => {},
      )
    void load()
    // A task created a moment ago is watched by default once the server has derived its
    // creation (shortly after storing it): ask again then.
    const again = setTimeout(load, 2_000)
    return () => {
      cancelled = true
      clearTimeout(again)
    }
  }, [projectId, taskId])

  if (watching === null) return null
  return (
    <Button
      variant="ghost"
      size="sm"
      aria-pressed={watching}
      disabled={busy}
      title={watching ? 'You get notified about this task' : 'Get notified about this task'}
      onClick={() => {
        toggled.current = true
        setBusy(true)
        setWatching(projectId, taskId, !watching)
          .then(setState, () => {})
          .finally(() => setBusy(false))
      }}
    >
      {watching ? <EyeOff className="size-4" /> : <Eye className="size-4" />}
      {watching ? 'Unwatch' : 'Watch'}
    </Button>
  )
}
