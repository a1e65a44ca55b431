import { Link } from '@tanstack/react-router'
import {
  CSV_DATE_FORMATS,
  CSV_FIELDS,
  type CsvDateFormat,
  type CsvField,
  type CsvPreview,
  type ImportResult,
} from '@taskflow/api'
import { ArrowLeft } from 'lucide-react'
import { useState } from 'react'
import type { UploadProgress } from '../../api/client'
import { errorMessage } from '../../api/client'
import { importCsv, importTaskflow, importTrello, previewCsv } from '../../api/imports.api'
import { Button, ErrorNote, Field, Input, Spinner } from '../../ui/primitives'

type Source = 'trello' | 'csv' | 'taskflow'

const SOURCES: Array<{ id: Source; label: string; accept: string; hint: string }> = [
  {
    id: 'trello',
    label: 'Trello board',
    accept: '.json,application/json',
    hint: 'In Trello: board menu → Print, export and share → Export as JSON.',
  },
  {
    id: 'csv',
    label: 'CSV file',
    accept: '.csv,.tsv,.txt,text/csv',
    hint: 'One task per row, a header row first. You choose which column is what.',
  },
  {
    id: 'taskflow',
    label: 'TaskFlow export',
    accept: '.json,application/json',
    hint: 'A JSON export from a project’s settings, on this or another server.',
  },
]

const FIELD_LABELS: Record<CsvField, string> = {
  title: 'Title',
  description: 'Description',
  column: 'Column (status)',
  priority: 'Priority',
  startDate: 'Start date',
  dueDate: 'Due date',
  estimate: 'Estimate',
  labels: 'Labels',
  assignees: 'Assignees (e-mails)',
  id: 'Task id (for subtasks)',
  parent: 'Parent task id',
}

const selectClass =
  'h-9 w-full rounded-md border border-slate-300 bg-white px-2 text-sm dark:border-slate-700 dark:bg-slate-900'

/** Import a Trello board, a CSV file (preview and mapping first) or a TaskFlow export. */
export function ImportPage() {
  const [source, setSource] = useState<Source>('trello')
  const [file, setFile] = useState<{ name: string; text: string } | null>(null)
  const [preview, setPreview] = useState<CsvPreview | null>(null)
  const [mapping, setMapping] = useState<Partial<Record<CsvField, string>>>({})
  const [dateFormat, setDateFormat] = useState<CsvDateFormat>('iso')
  const [name, setName] = useState('')
  const [busy, setBusy] = useState<string | null>(null)
  /** Percent of the file sent while importing; null before and while the server builds. */
  const [sentPercent, setSentPercent] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<ImportResult | null>(null)

  function reset(next: Source) {
    setSource(next)
    setFile(null)
    setPreview(null)
    setResult(null)
    setError(null)
  }

  async function onFile(f: File | undefined) {
    setError(null)
    setResult(null)
    setPreview(null)
    if (!f) return
    const text = await f.text()
    setFile({ name: f.name, text })
    if (source !== 'csv') return
    setName(f.name.replace(/\.[^.]+$/, '') || 'Imported project')
    setBusy('Reading the file…')
    try {
      const p = await previewCsv(text)
      setPreview(p)
      setMapping(p.suggestedMapping)
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(null)
    }
  }

  async function onImport() {
    if (!file) return
    setError(null)
    setBusy('Uploading the file…')
    setSentPercent(0)
    const onProgress = (p: UploadProgress) => {
      if (p.sent) {
        setSentPercent(null)
        setBusy('Building the board… large boards take a few seconds.')
      } else if (p.total > 0) setSentPercent(Math.floor((p.loaded / p.total) * 100))
    }
    try {
      if (source === 'csv') {
        setResult(
          await importCsv({ csv: file.text, name: name.trim(), mapping, dateFormat }, onProgress),
        )
      } else {
        let data: unknown
        try {
          data = JSON.parse(file.text)
        } catch {
          throw new Error('This file is not JSON.')
        }
        setResult(
          source === 'trello'
            ? await importTrello(data, onProgress)
            : await importTaskflow(data, onProgress),
        )
      }
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(null)
      setSentPercent(null)
    }
  }

  const current = SOURCES.find((s) => s.id === source)!
  const canImport =
    file !== null &&
    !busy &&
    (source !== 'csv' || (preview !== null && !!mapping.title && !!name.trim()))

  return (
    <main className="mx-auto w-full max-w-3xl space-y-6 p-4 sm:p-8">
      <Link
        to="/projects"
        className="inline-flex items-center gap-1 text-sm text-indigo-600 hover:underline"
      >
        <ArrowLeft className="size-4" /> Back to projects
      </Link>
      <h1 className="text-2xl font-bold tracking-tight">Import a project</h1>
      {result ? (
        <ImportSummary result={result} onAnother={() => reset(source)} />
      ) : (
        <>
          <fieldset className="flex flex-wrap gap-4" aria-label="What to import">
            {SOURCES.map((s) => (
              <label key={s.id} className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name="source"
                  checked={source === s.id}
                  onChange={() => reset(s.id)}
                />
                {s.label}
              </label>
            ))}
          </fieldset>
          <p className="text-sm text-slate-500">{current.hint}</p>
          <Field label="File to import" htmlFor="import-file">
            <input
              id="import-file"
              key={source}
              type="file"
              accept={current.accept}
              onChange={(e) => onFile(e.target.files?.[0])}
              className="text-sm"
            />
          </Field>
          {preview && (
            <CsvMapping
              preview={preview}
              mapping={mapping}
              onMapping={setMapping}
              dateFormat={dateFormat}
              onDateFormat={setDateFormat}
              name={name}
              onName={setName}
            />
          )}
          <ErrorNote message={error} />
          {busy ? (
            <div className="space-y-1.5">
              <div role="status" className="flex items-center gap-2 text-sm text-slate-600">
                <Spinner label={busy} /> {busy}
              </div>
              {sentPercent !== null && (
                <div
                  role="progressbar"
                  aria-label="Upload"
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={sentPercent}
                  className="h-1.5 w-64 overflow-hidden rounded bg-slate-200 dark:bg-slate-800"
                >
                  <div className="h-full bg-indigo-600" style={{ width: `${sentPercent}%` }} />
                </div>
              )}
            </div>
          ) : (
            <Button onClick={onImport} disabled={!canImport}>
              Import
            </Button>
          )}
        </>
      )}
    </main>
  )
}

function CsvMapping(props: {
  preview: CsvPreview
  mapping: Partial<Record<CsvField, string>>
  onMapping: (m: Partial<Record<CsvField, string>>) => void
  dateFormat: CsvDateFormat
  onDateFormat: (f: CsvDateFormat) => void
  name: string
  onName: (n: string) => void
}) {
  const { preview, mapping } = props
  const delimiter = preview.delimiter === '\t' ? 'tab' : `“${preview.delimiter}”`
  return (
    <section className="space-y-4" aria-label="CSV preview">
      <p className="text-sm" data-testid="csv-detected">
        {preview.rowCount} rows, separated by {delimiter}.
      </p>
      <div className="overflow-x-auto rounded-md border border-slate-200 dark:border-slate-800">
        <table className="w-full text-left text-xs">
          <thead>
            <tr>
              {preview.headers.map((h) => (
                <th
                  key={h}
                  className="border-b border-slate-200 p-2 font-semibold dark:border-slate-800"
                >
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.slice(0, 5).map((row, i) => (
              // Rows have no id of their own; the preview never reorders.
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed, read-only preview
              <tr key={i}>
                {preview.headers.map((h) => (
                  <td key={h} className="max-w-48 truncate p-2">
                    {row[h]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Field label="Project name" htmlFor="import-name">
        <Input id="import-name" value={props.name} onChange={(e) => props.onName(e.target.value)} />
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        {CSV_FIELDS.map((field) => (
          <Field key={field} label={FIELD_LABELS[field]} htmlFor={`map-${field}`}>
            <select
              id={`map-${field}`}
              className={selectClass}
              value={mapping[field] ?? ''}
              onChange={(e) => {
                const next = { ...mapping }
                if (e.target.value) next[field] = e.target.value
                else delete next[field]
                props.onMapping(next)
              }}
            >
              <option value="">{field === 'title' ? 'Choose a column' : 'Not imported'}</option>
              {preview.headers.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          </Field>
        ))}
        <Field label="Dates are written as" htmlFor="import-date-format">
          <select
            id="import-date-format"
            className={selectClass}
            value={props.dateFormat}
            onChange={(e) => props.onDateFormat(e.target.value as CsvDateFormat)}
          >
            {CSV_DATE_FORMATS.map((f) => (
              <option key={f} value={f}>
                {f === 'iso' ? 'ISO (2026-12-31)' : f}
              </option>
            ))}
          </select>
        </Field>
      </div>
    </section>
  )
}

const COUNT_LABELS: Array<[keyof ImportResult['imported'], string]> = [
  ['columns', 'columns'],
  ['tasks', 'tasks'],
  ['labels', 'labels'],
  ['checklistItems', 'checklist items'],
  ['comments', 'comments'],
  ['trashed', 'in the trash'],
  ['members', 'members added'],
]

function ImportSummary(props: { result: ImportResult; onAnother: () => void }) {
  const { project, imported, skipped } = props.result
  return (
    <section className="space-y-4" aria-label="Import result">
      <p className="text-lg font-semibold">“{project.name}” was created.</p>
      <ul className="flex flex-wrap gap-2 text-sm" aria-label="Imported">
        {COUNT_LABELS.map(([key, label]) => (
          <li key={key} className="rounded-full bg-slate-100 px-3 py-1 dark:bg-slate-800">
            <strong>{imported[key]}</strong> {label}
          </li>
        ))}
      </ul>
      {skipped.length > 0 && (
        <details open={skipped.length <= 10}>
          <summary className="cursor-pointer text-sm font-medium">
            {skipped.length} {skipped.length === 1 ? 'thing was' : 'things were'} left out or
            changed
          </summary>
          <ul className="mt-2 max-h-80 space-y-1 overflow-y-auto text-sm" aria-label="Skipped">
            {skipped.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the server's list, never reordered
              <li key={i}>
                <span className="font-medium">{s.item}</span>: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="flex gap-2">
        <Link
          to="/projects/$projectId"
          params={{ projectId: project.id }}
          className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700"
        >
          Open the project
        </Link>
        <Button variant="ghost" onClick={props.onAnother}>
          Import another
        </Button>
      </div>
    </section>
  )
}
