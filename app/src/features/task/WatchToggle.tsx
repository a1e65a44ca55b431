import { Eye, EyeOff } from 'lucide-react'
import { useEffect, useState } from 'react'
import { getWatching, setWatching } from '../../api/collab.api'
import { Button } from '../../ui/primitives'

/** Watch / unwatch a task (notifications about its comments and completion). Online only. */
export function WatchToggle(props: { projectId: string; taskId: string }) {
  const { projectId, taskId } = props
  const [watching, setState] = useState<boolean | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    let cancelled = false
    setState(null)
    getWatching(projectId, taskId).then(
      (w) => !cancelled && setState(w),
      () => {},
    )
    return () => {
      cancelled = true
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
