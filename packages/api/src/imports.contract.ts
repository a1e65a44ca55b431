import {
  CsvImportBodySchema,
  CsvPreviewSchema,
  ExportQuerySchema,
  ImportResultSchema,
  TaskflowExportSchema,
  TrelloBoardSchema,
} from './imports.js'
import { ProjectParamsSchema } from './projects.js'
import { defineRoute } from './registry.js'

const tag = 'Import and export'
const created = {
  description: 'The new project, what it holds, and what was not taken as is',
  schema: ImportResultSchema,
}
const importErrors = {
  413: 'Body over `TASKFLOW_IMPORT_MAX_BYTES` (default 64 MiB), or a CSV of more than 100,000 rows (`payload_too_large`)',
  429: 'Too many projects created this hour (`TASKFLOW_PROJECTS_PER_HOUR`)',
}
const importDescription =
  'Creates one new project owned by the caller, whole or not at all; nothing is dropped silently (see `skipped`). A token limited to some projects cannot import (403).'

/** `/projects/import/*` and `/projects/:id/export` (docs/api.md "Import and export"). */
export const IMPORT_ROUTES = [
  defineRoute({
    method: 'post',
    path: '/projects/import/trello',
    tag,
    auth: 'token',
    summary: 'Import a Trello board export (JSON) as a new project',
    description: importDescription,
    body: TrelloBoardSchema,
    responses: { 201: created },
    errors: importErrors,
  }),
  defineRoute({
    method: 'post',
    path: '/projects/import/csv',
    tag,
    auth: 'token',
    summary: 'Preview a CSV file, or import it as a new project',
    description: `With \`preview: true\` nothing is created: the answer (200) shows the headers, the first rows and a suggested mapping. ${importDescription}`,
    body: CsvImportBodySchema,
    responses: {
      200: {
        description: 'The preview (`preview: true`); nothing created',
        schema: CsvPreviewSchema,
      },
      201: created,
    },
    errors: importErrors,
  }),
  defineRoute({
    method: 'post',
    path: '/projects/import/taskflow',
    tag,
    auth: 'token',
    summary: 'Import a TaskFlow JSON export as a new project',
    description: importDescription,
    body: TaskflowExportSchema,
    responses: { 201: created },
    errors: importErrors,
  }),
  defineRoute({
    method: 'get',
    path: '/projects/:id/export',
    tag,
    auth: 'token',
    access: 'viewer or higher',
    summary: 'Export a project: lossless JSON, or CSV (one row per task)',
    description: 'Answered as a download (`Content-Disposition: attachment`).',
    params: ProjectParamsSchema,
    query: ExportQuerySchema,
    responses: {
      200: {
        description: 'The export, in the format asked for',
        schema: TaskflowExportSchema,
        alternatives: {
          'text/csv':
            '`format=csv`: one row per task (trash included), UTF-8 with a byte order mark, CRLF lines; see docs/api.md "Export" for the columns',
        },
      },
    },
    errors: { 403: 'Not a member of the project', 404: 'Unknown project' },
  }),
]
