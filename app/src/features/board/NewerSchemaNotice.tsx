import { RefreshCw } from 'lucide-react'
import { useState } from 'react'
import { updateAppAndReload } from '../../sw-register'
import { Button } from '../../ui/primitives'

/**
 * Shown when the board was saved by a newer TaskFlow (document-schema.md B3): this code
 * cannot read it safely, so the board is read-only until the app is updated.
 */
export function NewerSchemaNotice() {
  const [reloading, setReloading] = useState(false)
  return (
    <div
      role="alert"
      data-testid="newer-schema"
      className="flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
    >
      <span className="flex-1">
        This board was saved by a newer version of TaskFlow. Reload to update.
      </span>
      <Button
        variant="secondary"
        size="sm"
        disabled={reloading}
        onClick={() => {
          setReloading(true)
          void updateAppAndReload()
        }}
      >
        <RefreshCw className="size-4" /> Reload
      </Button>
    </div>
  )
}
