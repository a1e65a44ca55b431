import { z } from 'zod'

/*
 * Relations between tasks (`/api/v1/projects/:id/tasks/:taskId/relations`): request and
 * response schemas. A relation is seen from the task of the path; the board stores each
 * once (docs/document-schema.md, R1–R8).
 */

/** What the other task is to the task of the path (mirrors `RELATION_KINDS` of the board). */
export const RELATION_KIND_VALUES = [
  'blocks',
  'blocked_by',
  'relates_to',
  'duplicate_of',
  'duplicated_by',
] as const
export const RelationKindSchema = z
  .enum(RELATION_KIND_VALUES)
  .describe(
    '`blocks`: the path task blocks `taskId`; `blocked_by`: `taskId` blocks the path task; `relates_to` (symmetric); `duplicate_of`: the path task duplicates `taskId`; `duplicated_by`: the reverse.',
  )
export type RelationKindValue = z.infer<typeof RelationKindSchema>

const TaskIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a task id')

/** One relation of the path task, with the other task as it is now. */
export const TaskRelationSchema = z
  .object({
    kind: RelationKindSchema,
    /** The other task. */
    taskId: z.string(),
    title: z.string(),
    columnId: z.string(),
    /** The category of the other task's column. */
    status: z.enum(['todo', 'in_progress', 'done']),
    /** In a done column (and not in the trash). */
    done: z.boolean(),
    /** The other task is in the trash: the relation is kept and shown as such. */
    trashed: z.boolean(),
  })
  .meta({ id: 'TaskRelation' })
export type TaskRelation = z.infer<typeof TaskRelationSchema>

/** `GET …/relations`: blockers first, then blocked, duplicates, related; each by title. */
export const TaskRelationListSchema = z
  .object({
    relations: z.array(TaskRelationSchema),
    /** True while an open (not done, not trashed) task blocks the path task. */
    blocked: z.boolean(),
  })
  .meta({ id: 'TaskRelationList' })
export type TaskRelationList = z.infer<typeof TaskRelationListSchema>

/** `POST …/relations`. */
export const CreateRelationBodySchema = z
  .object({ kind: RelationKindSchema, taskId: TaskIdSchema })
  .strict()
export type CreateRelationBody = z.input<typeof CreateRelationBodySchema>

/** `DELETE …/relations?kind=&taskId=`. */
export const DeleteRelationQuerySchema = z
  .object({ kind: RelationKindSchema, taskId: TaskIdSchema })
  .strict()
export type DeleteRelationQuery = z.input<typeof DeleteRelationQuerySchema>
