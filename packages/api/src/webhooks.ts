import { z } from 'zod'

/**
 * Events a project webhook can subscribe to (docs/api.md "Webhooks").
 * @example CreateWebhookBodySchema.parse({ url, events: ['task.created'] })
 */
export const WEBHOOK_EVENTS = [
  'task.created',
  'task.updated',
  'task.moved',
  'task.completed',
  'task.deleted',
  'comment.created',
  'member.added',
  'member.removed',
] as const
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number]
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENTS)

/** An absolute http(s) URL without credentials; where it resolves is checked by the server. */
export const WebhookUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }))
  .refine((u) => {
    // Runs after a failed URL check too (zod reports every issue): that one is reported.
    if (!URL.canParse(u)) return true
    const url = new URL(u)
    return url.username === '' && url.password === ''
  }, 'must not contain a user name or password')

const EventsSchema = z
  .array(WebhookEventTypeSchema)
  .min(1)
  .max(WEBHOOK_EVENTS.length)
  .refine((a) => new Set(a).size === a.length, 'must not repeat an event')

const WebhookDescriptionSchema = z.string().trim().max(500)

/** `POST /api/v1/projects/:id/webhooks`. */
export const CreateWebhookBodySchema = z
  .object({
    url: WebhookUrlSchema,
    events: EventsSchema,
    description: WebhookDescriptionSchema.optional(),
  })
  .strict()
export type CreateWebhookBody = z.input<typeof CreateWebhookBodySchema>

/** `PATCH /api/v1/projects/:id/webhooks/:hookId`: at least one field. */
export const UpdateWebhookBodySchema = z
  .object({
    url: WebhookUrlSchema.optional(),
    events: EventsSchema.optional(),
    description: WebhookDescriptionSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'expected at least one field')
export type UpdateWebhookBody = z.input<typeof UpdateWebhookBodySchema>

/** A webhook endpoint of a project, as its admins see it (never with its secret). */
export const WebhookSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(WebhookEventTypeSchema),
  description: z.string(),
  enabled: z.boolean(),
  /** Why the server turned it off (an endpoint that answered 410 Gone); null when on or off by hand. */
  disabledReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Until when the previous secret still signs deliveries after a rotation. */
  previousSecretExpiresAt: z.iso.datetime().nullable(),
})
export type Webhook = z.infer<typeof WebhookSchema>

/** Answer of create and rotate-secret: the only time the signing secret is shown. */
export const WebhookWithSecretSchema = WebhookSchema.extend({
  /** `whsec_` + base64 of 24 random bytes (Standard Webhooks). */
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/]+=*$/),
})
export type WebhookWithSecret = z.infer<typeof WebhookWithSecretSchema>

/** `GET /api/v1/projects/:id/webhooks`. */
export const WebhookListSchema = z.object({ webhooks: z.array(WebhookSchema) })
export type WebhookList = z.infer<typeof WebhookListSchema>

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

/** One try to deliver a message. */
export const DeliveryAttemptSchema = z.object({
  attempt: z.number().int().min(1),
  at: z.iso.datetime(),
  /** The endpoint's HTTP status; null when no answer came (refused, timeout, DNS). */
  responseStatus: z.number().int().nullable(),
  durationMs: z.number().int().min(0),
  error: z.string().nullable(),
})
export type DeliveryAttempt = z.infer<typeof DeliveryAttemptSchema>

/** One message to one endpoint, with its attempts (newest last). */
export const DeliverySchema = z.object({
  id: z.uuid(),
  /** The `webhook-id` header: the same on every retry and redelivery (deduplicate on it). */
  messageId: z.string(),
  event: WebhookEventTypeSchema,
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.array(DeliveryAttemptSchema),
  /** When the next try is due; null once delivered or given up. */
  nextAttemptAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  /** The JSON body sent, `{ type, timestamp, data }`. */
  payload: z.unknown(),
})
export type Delivery = z.infer<typeof DeliverySchema>

/** Query of `GET /api/v1/projects/:id/webhooks/:hookId/deliveries` (newest first). */
export const ListDeliveriesQuerySchema = z
  .object({
    /** Cursor: `nextBefore` of the previous page. */
    before: z
      .string()
      .regex(/^[1-9][0-9]{0,14}$/, 'a cursor from nextBefore')
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict()

/** `GET /api/v1/projects/:id/webhooks/:hookId/deliveries`. */
export const DeliveryListSchema = z.object({
  deliveries: z.array(DeliverySchema),
  nextBefore: z.string().nullable(),
})
export type DeliveryList = z.infer<typeof DeliveryListSchema>
