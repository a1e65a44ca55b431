import {
  CsvImportBodySchema,
  ERROR_CODES,
  ExportQuerySchema,
  ProjectParamsSchema,
  TaskflowExportSchema,
  TrelloBoardSchema,
} from '@taskflow/api'
import { Hono } from 'hono'
import type { z } from 'zod'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import { NoQuerySchema, validate } from '../http/validate.js'
import { projectRoles } from '../projects/require-role.js'
import { type ExportService, exportToCsv } from './export.service.js'
import type { ImportsService } from './imports.service.js'

/** Paths whose bodies may be as large as TASKFLOW_IMPORT_MAX_BYTES (app.ts). */
export const IMPORT_PATH = /^\/api\/v1\/projects\/import\//

/**
 * Parses a body against a file format; a failure names the format, so someone who picked
 * the wrong file is told so rather than which field was wrong first.
 */
function parseFile<T extends z.ZodType>(schema: T, body: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(body)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  const where = issue?.path.length ? ` (${issue.path.join('.')}: ${issue.message})` : ''
  throw new AppError(400, ERROR_CODES.validation, `This is not ${what}${where}`)
}

async function readJson(req: { json(): Promise<unknown> }): Promise<unknown> {
  try {
    return await req.json()
  } catch {
    throw new AppError(400, ERROR_CODES.badRequest, 'The body is not valid JSON')
  }
}

// A file name for Content-Disposition: letters, digits and dashes only.
function fileName(name: string, ext: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)
  return `${base || 'project'}.${ext}`
}

/** `/projects/import/*` and `/projects/:id/export`, mounted under `/api/v1`. */
export function importsRoutes(
  auth: AuthService,
  imports: ImportsService,
  exporter: ExportService,
  db: Db,
): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const signedIn = requireAuth(auth)
  const noQuery = validate('query', NoQuerySchema)
  const importer = (u: AuthEnv['Variables']['user']) => ({ id: u.id, email: u.email, name: u.name })

  app.post('/projects/import/trello', noQuery, signedIn, async (c) => {
    const board = parseFile(TrelloBoardSchema, await readJson(c.req), 'a Trello board export')
    return c.json(await imports.trello(importer(c.var.user), board), 201)
  })

  app.post('/projects/import/taskflow', noQuery, signedIn, async (c) => {
    const data = parseFile(TaskflowExportSchema, await readJson(c.req), 'a TaskFlow JSON export')
    return c.json(await imports.taskflow(importer(c.var.user), data), 201)
  })

  app.post(
    '/projects/import/csv',
    noQuery,
    signedIn,
    validate('json', CsvImportBodySchema),
    async (c) => {
      const body = c.req.valid('json')
      const result = await imports.csv(importer(c.var.user), body)
      return c.json(result, body.preview ? 200 : 201)
    },
  )

  app.get(
    '/projects/:id/export',
    validate('query', ExportQuerySchema),
    signedIn,
    validate('param', ProjectParamsSchema),
    projectRoles(db)('viewer'),
    async (c) => {
      const data = await exporter.json(c.var.access.project)
      const { format } = c.req.valid('query')
      const name = fileName(data.project.name, format === 'csv' ? 'csv' : 'taskflow.json')
      c.header('content-disposition', `attachment; filename="${name}"`)
      if (format === 'csv') {
        c.header('content-type', 'text/csv; charset=utf-8')
        return c.body(exportToCsv(data))
      }
      return c.json(data)
    },
  )

  return app
}
