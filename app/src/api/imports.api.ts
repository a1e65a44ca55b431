import {
  type CsvDateFormat,
  type CsvField,
  CsvPreviewSchema,
  ImportResultSchema,
} from '@taskflow/api'
import { config } from '../config'
import { apiRequest, apiUpload, authHeaders, type UploadProgress } from './client'

/** Imports a Trello board export (the parsed JSON file) as a new project. */
export const importTrello = (board: unknown, onProgress: (p: UploadProgress) => void) =>
  apiUpload('/projects/import/trello', { body: board, schema: ImportResultSchema, onProgress })

/** Imports a TaskFlow JSON export as a new project. */
export const importTaskflow = (data: unknown, onProgress: (p: UploadProgress) => void) =>
  apiUpload('/projects/import/taskflow', { body: data, schema: ImportResultSchema, onProgress })

/** What the server reads in a CSV file: delimiter, headers, first rows, suggested mapping. */
export const previewCsv = (csv: string) =>
  apiRequest('/projects/import/csv', {
    method: 'POST',
    body: { csv, preview: true },
    schema: CsvPreviewSchema,
  })

export const importCsv = (
  body: {
    csv: string
    name: string
    mapping: Partial<Record<CsvField, string>>
    dateFormat: CsvDateFormat
  },
  onProgress: (p: UploadProgress) => void,
) => apiUpload('/projects/import/csv', { body, schema: ImportResultSchema, onProgress })

/**
 * Downloads a project's export as a file. A plain link cannot send the Bearer token, so the
 * file is fetched and handed to the browser as a blob.
 */
export async function downloadExport(projectId: string, format: 'json' | 'csv'): Promise<void> {
  const res = await fetch(
    `${config.apiBase}/projects/${encodeURIComponent(projectId)}/export?format=${format}`,
    { headers: authHeaders() },
  )
  if (!res.ok) throw new Error(`Export failed (${res.status})`)
  const name =
    /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ??
    `project.${format === 'csv' ? 'csv' : 'json'}`
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
