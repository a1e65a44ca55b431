import {
  type CsvImportBody,
  type CsvPreview,
  ERROR_CODES,
  type ImportResult,
  type TaskflowExport,
  type TrelloBoard,
} from '@taskflow/api'
import type { AccountsDeps } from '../auth/accounts-deps.js'
import { emailVerificationRequired } from '../config.js'
import { AppError } from '../http/app-error.js'
import { findTeammatesByEmail } from '../projects/members.repository.js'
import type { ProjectsService } from '../projects/projects.service.js'
import { csvPlan, csvPreview, parseCsv } from './csv.mapper.js'
import { buildBoardUpdate, type ImportPlan } from './import-plan.js'
import { taskflowPlan } from './taskflow.mapper.js'
import { trelloPlan } from './trello.mapper.js'

export type ImportsService = ReturnType<typeof createImportsService>

/** The person importing: they own the new project. */
export interface Importer {
  id: string
  email: string
  name: string
}

/**
 * Imports create one project each, built in one Y.Doc and stored as its first update with
 * the project row and memberships in one transaction (projects service). Any signed-in
 * user may import; it counts as a project creation for the hourly limit.
 */
export function createImportsService(deps: AccountsDeps, projects: ProjectsService) {
  const { db, config, now, logger } = deps
  const verificationRequired = emailVerificationRequired(config)

  // People an import names, matched only among the importer's teammates (accounts sharing a
  // project with them): an import must not add strangers to a project without an invitation,
  // nor tell which e-mails have an account. Everyone else is named as text, for the same
  // reason whether or not an account exists. Like adding a member by e-mail, an address not
  // verified (when verification is on) is not matched.
  async function findPeople(plan: ImportPlan, importer: Importer) {
    const mine = importer.email.toLowerCase()
    const byEmail = new Map<string, string>([[mine, importer.id]])
    const members: Array<{ userId: string; role: ImportPlan['people'][number]['role'] }> = []
    const roles = new Map<string, ImportPlan['people'][number]['role']>()
    for (const p of plan.people) {
      const email = p.email.toLowerCase()
      if (email !== mine && !roles.has(email)) roles.set(email, p.role)
    }
    const found = await findTeammatesByEmail(db, importer.id, [...roles.keys()])
    for (const user of found) {
      if (verificationRequired && user.email_verified_at == null) continue
      const email = user.email.toLowerCase()
      byEmail.set(email, user.id)
      members.push({ userId: user.id, role: roles.get(email)! })
    }
    return { byEmail, members }
  }

  async function run(importer: Importer, plan: ImportPlan, source: string): Promise<ImportResult> {
    await projects.countCreate(importer.id)
    const { byEmail, members } = await findPeople(plan, importer)
    const started = now()
    const t0 = performance.now()
    const built = await buildBoardUpdate(plan, byEmail, { userId: importer.id, now: started })
    const buildMs = Math.round(performance.now() - t0)
    const project = await projects.insertWithBoard(
      importer.id,
      built.project,
      built.update,
      members,
      { deriveAfterResponse: true },
    )
    for (const m of members) {
      await deps.onMemberAdded?.({
        projectId: project.id,
        projectName: project.name,
        userId: m.userId,
        actor: { id: importer.id, name: importer.name },
        at: started,
      })
    }
    logger.info('project imported', {
      projectId: project.id,
      source,
      tasks: built.counts.tasks,
      skipped: built.skipped.length,
      bytes: built.update.byteLength,
      buildMs,
      storeMs: Math.round(performance.now() - t0) - buildMs,
    })
    return {
      project,
      imported: { ...built.counts, members: members.length },
      skipped: built.skipped,
    }
  }

  return {
    trello: (importer: Importer, board: TrelloBoard) => run(importer, trelloPlan(board), 'trello'),

    taskflow: (importer: Importer, data: TaskflowExport) =>
      run(importer, taskflowPlan(data, importer.email), 'taskflow'),

    /** `preview: true` answers what the file looks like and creates nothing. */
    async csv(importer: Importer, body: CsvImportBody): Promise<CsvPreview | ImportResult> {
      const parsed = parseCsv(body.csv, body.delimiter)
      if (body.preview) return csvPreview(parsed)
      if (!body.mapping) {
        throw new AppError(400, ERROR_CODES.validation, 'mapping: map the CSV columns to fields')
      }
      if (!body.name) throw new AppError(400, ERROR_CODES.validation, 'name: name the project')
      const plan = csvPlan(parsed, {
        name: body.name,
        mapping: body.mapping,
        dateFormat: body.dateFormat ?? 'iso',
        now: now(),
      })
      return run(importer, plan, 'csv')
    },
  }
}
