import { z } from 'zod'

/*
 * Custom fields of a project (`/api/v1/projects/:id/fields`) and their values on tasks.
 * Limits and type rules are the board's (`@taskflow/board` custom-fields.ts, F1–F9): a value
 * the board refuses answers 400 with its message.
 */

export const FIELD_TYPE_VALUES = [
  'text',
  'number',
  'date',
  'single_select',
  'multi_select',
  'checkbox',
  'person',
  'url',
] as const
export const FieldTypeSchema = z.enum(FIELD_TYPE_VALUES)

const ColorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour like #3b82f6')
const FieldIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a field id')

/** Path of `/projects/:id/fields/:fieldId`. */
export const FieldParamsSchema = z.object({ id: z.uuid(), fieldId: FieldIdParam }).strict()

export const FieldOptionSchema = z
  .object({ id: z.string(), name: z.string(), color: z.string() })
  .meta({ id: 'FieldOption' })

/** A custom field; `options` in order (select types; empty for others). */
export const FieldSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: FieldTypeSchema,
    showOnCard: z.boolean(),
    /** Position among the project's fields (0 first). */
    position: z.number().int(),
    options: z.array(FieldOptionSchema),
  })
  .meta({ id: 'Field' })
export type Field = z.infer<typeof FieldSchema>

/** `GET /api/v1/projects/:id/fields`: the live fields in order. */
export const FieldListSchema = z.object({ fields: z.array(FieldSchema) })
export type FieldList = z.infer<typeof FieldListSchema>

const OptionInputSchema = z.object({ name: z.string(), color: ColorSchema }).strict()

/** `POST /api/v1/projects/:id/fields`: a new field, last unless `index` says otherwise. */
export const CreateFieldBodySchema = z
  .object({
    name: z.string(),
    type: FieldTypeSchema,
    showOnCard: z.boolean().optional(),
    options: z.array(OptionInputSchema).max(100).optional(),
    index: z.number().int().min(0).optional(),
  })
  .strict()
export type CreateFieldBody = z.input<typeof CreateFieldBodySchema>

/**
 * `PATCH /api/v1/projects/:id/fields/:fieldId`: any of name, type, card flag, position, and
 * option changes (added last in the order given; updated; removed — tasks keep a removed
 * option's id and show "removed option").
 */
export const UpdateFieldBodySchema = z
  .object({
    name: z.string().optional(),
    type: FieldTypeSchema.optional(),
    showOnCard: z.boolean().optional(),
    index: z.number().int().min(0).optional(),
    addOptions: z.array(OptionInputSchema).max(100).optional(),
    updateOptions: z
      .array(
        z
          .object({
            id: z.string().min(1).max(64),
            name: z.string().optional(),
            color: ColorSchema.optional(),
            index: z.number().int().min(0).optional(),
          })
          .strict(),
      )
      .max(100)
      .optional(),
    removeOptions: z.array(z.string().min(1).max(64)).max(100).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'expected at least one change')
export type UpdateFieldBody = z.input<typeof UpdateFieldBodySchema>

/**
 * A task's value of one field: text, date (`YYYY-MM-DD`), URL, person (user id) and single
 * select (option id) are strings, numbers are numbers, checkboxes booleans, multi select a
 * list of option ids. Null (in a PATCH) clears.
 */
export const FieldValueSchema = z.union([
  z.string().max(2000),
  z.number(),
  z.boolean(),
  z.array(z.string().max(64)).max(100),
])
/** `fields` of a task body: values by field id; at most 50. */
export const TaskFieldValuesBodySchema = z
  .record(FieldIdParam, FieldValueSchema.nullable())
  .refine((r) => Object.keys(r).length <= 50, 'at most 50 fields')
