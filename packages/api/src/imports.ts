import { z } from 'zod'
import { RoleSchema } from './projects.js'

/*
 * Import and export (docs/api.md "Import and export"). Request and response schemas of
 * `POST /projects/import/{trello,csv,taskflow}` and `GET /projects/:id/export`.
 */

// ---------------------------------------------------------------------------------------
// Trello: the board JSON of Trello's "Print, export and share → Export as JSON" (the REST
// API's board object with its nested lists, cards, labels, checklists, members, actions).
// Only what the importer reads is named; Trello's other fields pass through untouched.

const TrelloId = z.string().min(1).max(64)
const nullableString = z.string().nullish()

export const TrelloLabelSchema = z.looseObject({
  id: TrelloId,
  name: z.string().nullish(),
  color: nullableString,
})

export const TrelloListSchema = z.looseObject({
  id: TrelloId,
  name: z.string(),
  closed: z.boolean().optional(),
  pos: z.number().optional(),
})

export const TrelloAttachmentSchema = z.looseObject({
  name: z.string().nullish(),
  url: z.string().nullish(),
})

export const TrelloCardSchema = z.looseObject({
  id: TrelloId,
  name: z.string(),
  desc: z.string().nullish(),
  idList: TrelloId,
  closed: z.boolean().optional(),
  pos: z.number().optional(),
  due: nullableString,
  start: nullableString,
  dueComplete: z.boolean().optional(),
  dateLastActivity: nullableString,
  idLabels: z.array(TrelloId).optional(),
  idMembers: z.array(TrelloId).optional(),
  attachments: z.array(TrelloAttachmentSchema).optional(),
})

export const TrelloCheckItemSchema = z.looseObject({
  id: TrelloId.optional(),
  name: z.string(),
  state: z.string().optional(),
  pos: z.number().optional(),
})

export const TrelloChecklistSchema = z.looseObject({
  id: TrelloId,
  name: z.string().nullish(),
  idCard: TrelloId,
  pos: z.number().optional(),
  checkItems: z.array(TrelloCheckItemSchema).optional(),
})

export const TrelloMemberSchema = z.looseObject({
  id: TrelloId,
  fullName: z.string().nullish(),
  username: z.string().nullish(),
  /** Present only when the exporting account may see it; often absent. */
  email: z.string().nullish(),
})

export const TrelloActionSchema = z.looseObject({
  id: TrelloId.optional(),
  type: z.string(),
  date: z.string().optional(),
  idMemberCreator: z.string().optional(),
  data: z
    .looseObject({
      text: z.string().optional(),
      card: z.looseObject({ id: TrelloId }).optional(),
    })
    .optional(),
  memberCreator: z
    .looseObject({ fullName: z.string().nullish(), username: z.string().nullish() })
    .optional(),
})

/** `POST /api/v1/projects/import/trello`: a Trello board export, as downloaded. */
export const TrelloBoardSchema = z.looseObject({
  id: TrelloId,
  name: z.string(),
  desc: z.string().nullish(),
  lists: z.array(TrelloListSchema),
  cards: z.array(TrelloCardSchema),
  labels: z.array(TrelloLabelSchema).optional(),
  checklists: z.array(TrelloChecklistSchema).optional(),
  members: z.array(TrelloMemberSchema).optional(),
  actions: z.array(TrelloActionSchema).optional(),
})
export type TrelloBoard = z.infer<typeof TrelloBoardSchema>

// ---------------------------------------------------------------------------------------
// CSV

/** Task fields a CSV column can be mapped to. */
export const CSV_FIELDS = [
  'title',
  'description',
  'column',
  'priority',
  'startDate',
  'dueDate',
  'estimate',
  'labels',
  'assignees',
  /** The row's id in the source: what `parent` cells of other rows name. */
  'id',
  /** The id of the row's parent task (its `id` cell): the row becomes its subtask. */
  'parent',
] as const
export type CsvField = (typeof CSV_FIELDS)[number]

/**
 * How date cells are written: `iso` (`2026-12-04`, or a full ISO timestamp), or day, month
 * and four-digit year in the given order with `/`, `.` or `-` between.
 */
export const CSV_DATE_FORMATS = ['iso', 'DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY/MM/DD'] as const
export type CsvDateFormat = (typeof CSV_DATE_FORMATS)[number]

/** At most this many data rows per CSV import. */
export const MAX_CSV_ROWS = 100_000

/**
 * `POST /api/v1/projects/import/csv`. `csv` is the file's text. `preview: true` creates
 * nothing and answers `CsvPreview`; otherwise `mapping` (field → header) must name at least
 * the title column.
 */
export const CsvImportBodySchema = z
  .object({
    csv: z.string().min(1),
    name: z.string().trim().min(1).max(200).optional(),
    preview: z.boolean().optional(),
    /** One character; detected when absent. */
    delimiter: z.string().length(1).optional(),
    mapping: z.partialRecord(z.enum(CSV_FIELDS), z.string().min(1)).optional(),
    dateFormat: z.enum(CSV_DATE_FORMATS).default('iso'),
  })
  .strict()
export type CsvImportBody = z.input<typeof CsvImportBodySchema>

/** The answer of a CSV preview: nothing is created. */
export const CsvPreviewSchema = z.object({
  delimiter: z.string(),
  headers: z.array(z.string()),
  /** The first rows (at most 10), cells by header. */
  rows: z.array(z.record(z.string(), z.string())),
  rowCount: z.number().int(),
  /** field → header, guessed from the header names. */
  suggestedMapping: z.partialRecord(z.enum(CSV_FIELDS), z.string()),
})
export type CsvPreview = z.infer<typeof CsvPreviewSchema>

// ---------------------------------------------------------------------------------------
// TaskFlow export (format version 1)

export const EXPORT_FORMAT = 'taskflow-export'
export const EXPORT_VERSION = 1

/** `GET /api/v1/projects/:id/export`. */
export const ExportQuerySchema = z
  .object({ format: z.enum(['json', 'csv']).default('json') })
  .strict()

const IsoDateTime = z.iso.datetime()
const IsoDateTimeOrNull = IsoDateTime.nullable()
const DateOnly = z.iso.date().nullable()

/** Rich text as y-prosemirror stores it: elements with attributes, text runs with marks. */
export type ExportBodyNode =
  | { type: string; attrs?: Record<string, unknown>; content?: ExportBodyNode[] }
  | { text: string; marks?: Record<string, unknown> }
export const ExportBodyNodeSchema: z.ZodType<ExportBodyNode> = z
  .lazy(() =>
    z.union([
      z
        .object({
          text: z.string(),
          marks: z.record(z.string(), z.unknown()).optional(),
        })
        .strict(),
      z
        .object({
          type: z.string().min(1).max(64),
          attrs: z.record(z.string(), z.unknown()).optional(),
          content: z.array(ExportBodyNodeSchema).optional(),
        })
        .strict(),
    ]),
  )
  .meta({ id: 'ExportBodyNode' })

export const ExportCommentSchema = z.object({
  /** The author's e-mail (null: unknown or deleted account). */
  author: z.string().nullable(),
  authorName: z.string().nullable(),
  body: z.string(),
  createdAt: IsoDateTime,
  editedAt: IsoDateTimeOrNull,
  deletedAt: IsoDateTimeOrNull,
  /** emoji → e-mails of the people who reacted. */
  reactions: z.record(z.string(), z.array(z.string())),
})

export const ExportTaskSchema = z.object({
  id: z.string(),
  /** The column it shows in (for a trashed task: the one it returns to). */
  columnId: z.string(),
  /** Index among the column's live tasks; null for a task in the trash. */
  position: z.number().int().nullable(),
  title: z.string(),
  /** Plain text of the description (what CSV and search see). */
  description: z.string(),
  /** The rich-text description itself; null for a pre-rich-text task. */
  body: z.array(ExportBodyNodeSchema).nullable(),
  priority: z.enum(['none', 'low', 'medium', 'high', 'urgent']),
  startDate: DateOnly,
  dueDate: DateOnly,
  estimate: z.number().nullable(),
  /** E-mails. */
  assignees: z.array(z.string()),
  labelIds: z.array(z.string()),
  checklist: z.array(z.object({ text: z.string(), done: z.boolean() })),
  comments: z.array(ExportCommentSchema),
  createdAt: IsoDateTimeOrNull,
  /** E-mail of the creator. */
  createdBy: z.string().nullable(),
  updatedAt: IsoDateTimeOrNull,
  completedAt: IsoDateTimeOrNull,
  deletedAt: IsoDateTimeOrNull,
  /**
   * Concurrent moves the task's placement won over, not yet dismissed by their movers
   * (B10): who (e-mail) and where they had put it. Informational; not re-imported.
   */
  replacedMoves: z.array(z.object({ by: z.string().nullable(), columnId: z.string() })),
  /**
   * The parent task's id when this is a subtask (as the board shows it, H1–H5), else null.
   * Absent in files exported before subtasks. An import rebuilds the hierarchy from it.
   */
  parentId: z.string().nullable().optional(),
  /**
   * A subtask's place among its parent's subtasks (live and trashed, in subtask order, from
   * 0); null at top level. Absent in older files: the import then keeps the file's order.
   */
  subtaskPosition: z.number().int().min(0).nullable().optional(),
})

/** The lossless JSON export of one project (format version 1). */
export const TaskflowExportSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_VERSION),
    exportedAt: IsoDateTime,
    project: z.object({ name: z.string(), description: z.string() }),
    board: z.object({
      name: z.string(),
      description: z.string(),
      schemaVersion: z.number().int().nullable(),
      columns: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          category: z.enum(['todo', 'in_progress', 'done']),
          wipLimit: z.number().int().nullable(),
        }),
      ),
      labels: z.array(z.object({ id: z.string(), name: z.string(), color: z.string() })),
      /** Column by column, live tasks in order, then that column's trashed tasks. */
      tasks: z.array(ExportTaskSchema),
    }),
    members: z.array(z.object({ email: z.string(), name: z.string(), role: RoleSchema })),
    /** The activity log, oldest first. Not re-imported: an import is a new history. */
    activity: z.array(
      z.object({
        taskId: z.string(),
        kind: z.string(),
        subject: z.string().nullable(),
        user: z.string().nullable(),
        at: IsoDateTime,
        lastAt: IsoDateTime,
        data: z.record(z.string(), z.unknown()),
      }),
    ),
    /** Files attached to tasks; always empty until tasks can hold attachments. */
    attachments: z.array(z.object({ taskId: z.string(), name: z.string(), url: z.string() })),
  })
  .meta({ id: 'TaskflowExport' })
export type TaskflowExport = z.infer<typeof TaskflowExportSchema>
export type ExportTask = z.infer<typeof ExportTaskSchema>

// ---------------------------------------------------------------------------------------
// Result of every import

export const ImportSkippedSchema = z.object({
  /** What was left out or changed, e.g. `card "Fix login" (5f1c…)`. */
  item: z.string(),
  reason: z.string(),
})

/** `201` of every import: the created project, what it holds, and what was not taken as is. */
export const ImportResultSchema = z
  .object({
    project: z.object({
      id: z.string(),
      name: z.string(),
      description: z.string(),
      role: RoleSchema,
      archivedAt: z.string().nullable(),
      createdAt: z.string(),
      updatedAt: z.string(),
    }),
    imported: z.object({
      columns: z.number().int(),
      tasks: z.number().int(),
      labels: z.number().int(),
      checklistItems: z.number().int(),
      comments: z.number().int(),
      /** Tasks put straight into the trash (archived cards). */
      trashed: z.number().int(),
      /** People matched to accounts by e-mail and added to the project. */
      members: z.number().int(),
    }),
    skipped: z.array(ImportSkippedSchema),
  })
  .meta({ id: 'ImportResult' })
export type ImportResult = z.infer<typeof ImportResultSchema>
export type ImportSkipped = z.infer<typeof ImportSkippedSchema>
