import {
  BoardQuerySchema,
  CreateCommentBodySchema,
  CreateTaskBodySchema,
  IdempotencyHeadersSchema,
  ListTasksQuerySchema,
  MoveTaskBodySchema,
  ProjectParamsSchema,
  TaskParamsSchema,
  UpdateTaskBodySchema,
} from '@taskflow/api'
import { Hono } from 'hono'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import { NoQuerySchema, validate } from '../http/validate.js'
import { projectRoles } from '../projects/require-role.js'
import { idempotency } from './idempotency.js'
import type { TasksService } from './tasks.service.js'

/**
 * The task API under `/api/v1` (docs/api.md "Tasks"): viewers read, members write. Every
 * POST takes an `Idempotency-Key`.
 */
export function tasksRoutes(
  auth: AuthService,
  tasks: TasksService,
  db: Db,
  now: Clock,
): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const signedIn = requireAuth(auth)
  const noQuery = validate('query', NoQuerySchema)
  const project = validate('param', ProjectParamsSchema)
  const task = validate('param', TaskParamsSchema)
  const requireRole = projectRoles(db)
  const read = requireRole('viewer')
  const write = requireRole('member', { refuseArchived: true })
  // The header as registered (a bad key: 400 before anything runs), then the replay store.
  const once = [validate('header', IdempotencyHeadersSchema), idempotency(db, now)] as const

  app.get(
    '/projects/:id/board',
    validate('query', BoardQuerySchema),
    signedIn,
    project,
    read,
    async (c) => c.json(await tasks.board(c.req.valid('param').id, c.req.valid('query').at)),
  )

  app.get(
    '/projects/:id/tasks',
    signedIn,
    project,
    read,
    validate('query', ListTasksQuerySchema),
    async (c) => c.json(await tasks.list(c.req.valid('param').id, c.req.valid('query'))),
  )

  app.post(
    '/projects/:id/tasks',
    noQuery,
    signedIn,
    project,
    write,
    ...once,
    validate('json', CreateTaskBodySchema),
    async (c) =>
      c.json(await tasks.create(c.req.valid('param').id, c.var.user.id, c.req.valid('json')), 201),
  )

  app.get('/projects/:id/tasks/:taskId', noQuery, signedIn, task, read, async (c) => {
    const { id, taskId } = c.req.valid('param')
    return c.json(await tasks.get(id, taskId))
  })

  app.patch(
    '/projects/:id/tasks/:taskId',
    noQuery,
    signedIn,
    task,
    write,
    validate('json', UpdateTaskBodySchema),
    async (c) => {
      const { id, taskId } = c.req.valid('param')
      return c.json(await tasks.update(id, c.var.user.id, taskId, c.req.valid('json')))
    },
  )

  app.delete('/projects/:id/tasks/:taskId', noQuery, signedIn, task, write, async (c) => {
    const { id, taskId } = c.req.valid('param')
    await tasks.remove(id, c.var.user.id, taskId)
    return c.body(null, 204)
  })

  app.post(
    '/projects/:id/tasks/:taskId/move',
    noQuery,
    signedIn,
    task,
    write,
    ...once,
    validate('json', MoveTaskBodySchema),
    async (c) => {
      const { id, taskId } = c.req.valid('param')
      return c.json(await tasks.move(id, c.var.user.id, taskId, c.req.valid('json')))
    },
  )

  app.get('/projects/:id/tasks/:taskId/comments', noQuery, signedIn, task, read, async (c) => {
    const { id, taskId } = c.req.valid('param')
    return c.json(await tasks.comments(id, taskId))
  })

  app.post(
    '/projects/:id/tasks/:taskId/comments',
    noQuery,
    signedIn,
    task,
    write,
    ...once,
    validate('json', CreateCommentBodySchema),
    async (c) => {
      const { id, taskId } = c.req.valid('param')
      return c.json(await tasks.addComment(id, c.var.user.id, taskId, c.req.valid('json')), 201)
    },
  )

  return app
}
