import type { Field } from '@taskflow/api'
import { useEffect, useState } from 'react'
import { getFields } from '../../api/reports.api'

/**
 * The project's single-select fields, the reports' group-by choices besides their default
 * (read from the server: the reports page has no board document open). Empty offline.
 */
export function useSelectFields(projectId: string, online: boolean): Field[] {
  const [fields, setFields] = useState<Field[]>([])
  useEffect(() => {
    if (!online) return
    let cancelled = false
    getFields(projectId).then(
      (r) => {
        if (!cancelled) setFields(r.fields.filter((f) => f.type === 'single_select'))
      },
      () => {},
    )
    return () => {
      cancelled = true
    }
  }, [projectId, online])
  return fields
}

/** A "Group by" select: the chart's default grouping, then each single-select field. */
export function GroupBySelect(props: {
  chart: string
  defaultLabel: string
  fields: readonly Field[]
  value: string
  onChange: (v: string) => void
}) {
  if (props.fields.length === 0) return null
  return (
    <select
      aria-label={`Group ${props.chart} by`}
      className="h-7 rounded-md border border-slate-300 bg-white px-1 text-xs dark:border-slate-700 dark:bg-slate-900"
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
    >
      <option value="">{props.defaultLabel}</option>
      {props.fields.map((f) => (
        <option key={f.id} value={`field:${f.id}`}>
          {f.name}
        </option>
      ))}
    </select>
  )
}
