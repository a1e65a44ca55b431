import { FIELDS_ROOT, type FieldDef, listFields } from '@taskflow/board'
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'

/**
 * The project's custom fields (live ones; deleted ones too with `includeDeleted`), re-read
 * when their root map changes (rare, small: at most 50 fields).
 */
export function useFields(doc: Y.Doc, opts?: { includeDeleted?: boolean }): FieldDef[] {
  const includeDeleted = opts?.includeDeleted ?? false
  const [fields, setFields] = useState(() => listFields(doc, { includeDeleted }))
  useEffect(() => {
    const map = doc.getMap(FIELDS_ROOT)
    const refresh = () => setFields(listFields(doc, { includeDeleted }))
    refresh()
    map.observeDeep(refresh)
    return () => map.unobserveDeep(refresh)
  }, [doc, includeDeleted])
  return fields
}
