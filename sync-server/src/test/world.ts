import { randomUUID } from 'node:crypto'
import { hashPassword } from '../auth/password.js'
import { tokens } from '../auth/tokens.js'
import { createTestApi, type TestApi } from './test-api.js'

export const ACTORS = ['anonymous', 'nonMember', 'viewer', 'member', 'admin', 'owner'] as const
export type Actor = (typeof ACTORS)[number]
export const WORLD_PASSWORD = 'world password 1'

export interface World {
  api: TestApi
  projectId: string
  /** Session tokens by actor (anonymous has none). */
  token: Record<Exclude<Actor, 'anonymous'>, string>
  email: Record<Exclude<Actor, 'anonymous'>, string>
  userId: Record<Exclude<Actor, 'anonymous'>, string>
  /** Another plain member, the target of role changes and removals. */
  target: { id: string; email: string }
  invitation: { id: string; token: string }
  resetToken: string
  /** The e-mailed verification link of an unverified account `unverified@example.org`. */
  verifyToken: string
  /** A webhook of the project (to a public address) with one delivered message. */
  webhook: { id: string; deliveryId: string }
  /** A task of the board, made by the owner (worlds with `hub: true`; else ''). */
  taskId: string
  /** A second task of the board (hub worlds only), for relations. */
  otherTaskId: string
  /** The board's last column (worlds with `hub: true`; else ''). */
  columnId: string
  /** A custom field of the board, made by the owner (worlds with `hub: true`; else ''). */
  fieldId: string
  /** SHA-256 of an image (1×1 PNG, so it has a thumbnail) the owner uploaded to the project. */
  attachment: string
}

/** A valid 1×1 PNG: the world's attachment, an image so its thumbnail route has something to serve. */
const WORLD_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='

let passwordHash: Promise<string> | undefined

/**
 * A verified account with a live session, inserted directly (no argon2, no mail): for tests
 * about something else than signing up. `passwordHash` defaults to one nobody can match.
 */
export async function addSignedInUser(
  api: Pick<TestApi, 'db' | 'now'>,
  input: { email: string; name: string; passwordHash?: string },
): Promise<{ id: string; email: string; token: string }> {
  const id = randomUUID()
  const t = api.now()
  await api.db
    .insertInto('users')
    .values({
      id,
      email: input.email,
      password_hash: input.passwordHash ?? 'no password',
      name: input.name,
      avatar_color: '#123456',
      created_at: t,
      updated_at: t,
      email_verified_at: t,
    })
    .execute()
  const s = tokens.create()
  await api.db
    .insertInto('sessions')
    .values({
      id: randomUUID(),
      user_id: id,
      token_hash: s.hash,
      created_at: t,
      expires_at: t + 86_400_000 * 365,
    })
    .execute()
  return { id, email: input.email, token: s.token }
}

/**
 * A project with one user per role, a spare member, a pending invitation and a reset
 * token. Users and sessions are inserted directly (one shared argon2 hash) so a fresh
 * world costs milliseconds; everything else goes through the API.
 */
export async function createWorld(
  opts: Parameters<typeof createTestApi>[0] & {
    /** Also makes board fixtures through the task API: two tasks, a field (`taskId`, …). */
    hub?: boolean
  } = {},
): Promise<World> {
  passwordHash ??= hashPassword(WORLD_PASSWORD)
  const hash = await passwordHash
  const api = await createTestApi(opts)
  const t = api.now()
  const names = ['nonMember', 'viewer', 'member', 'admin', 'owner', 'target'] as const
  const users = {} as Record<(typeof names)[number], { id: string; email: string; token: string }>
  for (const name of names) {
    users[name] = await addSignedInUser(api, {
      email: `${name.toLowerCase()}@example.org`,
      name,
      passwordHash: hash,
    })
  }
  const owner = users.owner.token
  const project = await api.call('POST', '/api/v1/projects', {
    token: owner,
    body: { name: 'World', description: 'fixture' },
  })
  const projectId: string = project.body.id
  for (const role of ['viewer', 'member', 'admin', 'target'] as const) {
    const res = await api.call('POST', `/api/v1/projects/${projectId}/members`, {
      token: owner,
      body: { email: users[role].email, role: role === 'target' ? 'member' : role },
    })
    if (res.status !== 201) throw new Error(`world: add ${role}: ${res.status}`)
  }
  const inv = await api.call('POST', `/api/v1/projects/${projectId}/members`, {
    token: owner,
    body: { email: 'invitee@example.org', role: 'member' },
  })
  const invMail = await api.db
    .selectFrom('mail_outbox')
    .select('text')
    .where('to_address', '=', 'invitee@example.org')
    .executeTakeFirstOrThrow()
  const reset = tokens.create()
  await api.db
    .insertInto('password_resets')
    .values({
      token_hash: reset.hash,
      user_id: users.target.id,
      created_at: t,
      expires_at: t + 86_400_000 * 365,
      used_at: null,
    })
    .execute()
  const unverifiedId = randomUUID()
  await api.db
    .insertInto('users')
    .values({
      id: unverifiedId,
      email: 'unverified@example.org',
      password_hash: hash,
      name: 'Unverified',
      avatar_color: '#123456',
      created_at: t,
      updated_at: t,
      email_verified_at: null,
    })
    .execute()
  const verify = tokens.create()
  await api.db
    .insertInto('email_verifications')
    .values({
      token_hash: verify.hash,
      user_id: unverifiedId,
      invitation_id: null,
      created_at: t,
      expires_at: t + 86_400_000 * 365,
      used_at: null,
    })
    .execute()
  const webhook = { id: randomUUID(), deliveryId: randomUUID() }
  await api.db
    .insertInto('webhooks')
    .values({
      id: webhook.id,
      project_id: projectId,
      url: 'https://93.184.216.34/hook',
      events: JSON.stringify(['task.created']),
      description: '',
      enabled: 1,
      disabled_reason: null,
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      previous_secret: null,
      previous_secret_expires_at: null,
      created_by: users.owner.id,
      created_at: t,
      updated_at: t,
    })
    .execute()
  await api.db
    .insertInto('webhook_deliveries')
    .values({
      id: webhook.deliveryId,
      seq: 1,
      webhook_id: webhook.id,
      project_id: projectId,
      event_key: 'task.created:1:task1',
      event_type: 'task.created',
      payload: JSON.stringify({
        type: 'task.created',
        timestamp: new Date(t).toISOString(),
        data: {},
      }),
      status: 'delivered',
      attempts: 1,
      next_attempt_at: null,
      manual: 0,
      created_at: t,
    })
    .execute()
  let taskId = ''
  let otherTaskId = ''
  let columnId = ''
  let fieldId = ''
  if (opts.hub) {
    const task = await api.call('POST', `/api/v1/projects/${projectId}/tasks`, {
      token: owner,
      body: { title: 'World task' },
    })
    if (task.status !== 201) throw new Error(`world: task: ${task.status}`)
    taskId = task.body.id
    const other = await api.call('POST', `/api/v1/projects/${projectId}/tasks`, {
      token: owner,
      body: { title: 'World blocker' },
    })
    if (other.status !== 201) throw new Error(`world: other task: ${other.status}`)
    otherTaskId = other.body.id
    const board = await api.call('GET', `/api/v1/projects/${projectId}/board`, { token: owner })
    columnId = board.body.columns.at(-1).id
    const field = await api.call('POST', `/api/v1/projects/${projectId}/fields`, {
      token: owner,
      body: { name: 'World field', type: 'text' },
    })
    if (field.status !== 201) throw new Error(`world: field: ${field.status}`)
    fieldId = field.body.id
  }
  const upload = await api.app.request(`/api/v1/projects/${projectId}/attachments?name=pixel.png`, {
    method: 'POST',
    headers: { authorization: `Bearer ${owner}`, 'content-type': 'image/png' },
    body: Buffer.from(WORLD_PNG, 'base64'),
  })
  if (upload.status !== 201) throw new Error(`world: upload: ${upload.status}`)
  const attachment: string = ((await upload.json()) as { sha256: string }).sha256
  const pick = <K extends 'token' | 'email' | 'id'>(k: K) =>
    Object.fromEntries(
      (['nonMember', 'viewer', 'member', 'admin', 'owner'] as const).map((a) => [a, users[a][k]]),
    ) as Record<Exclude<Actor, 'anonymous'>, string>
  return {
    api,
    projectId,
    token: pick('token'),
    email: pick('email'),
    userId: pick('id'),
    target: { id: users.target.id, email: users.target.email },
    invitation: {
      id: inv.body.invitation.id,
      token: /invitations\/([A-Za-z0-9_-]{43})/.exec(invMail.text)![1]!,
    },
    resetToken: reset.token,
    verifyToken: verify.token,
    webhook,
    taskId,
    otherTaskId,
    columnId,
    fieldId,
    attachment,
  }
}

/** Every row of every table, to prove a rejected request changed nothing. */
export async function snapshotDatabase(api: TestApi): Promise<string> {
  const tables = [
    'users',
    'sessions',
    'api_tokens',
    'password_resets',
    'email_verifications',
    'projects',
    'project_members',
    'invitations',
    'mail_outbox',
    'doc_updates',
    'doc_snapshots',
    'webhooks',
    'webhook_deliveries',
    'webhook_attempts',
    'client_bindings',
    'api_clients',
    'idempotency_keys',
  ] as const
  const out: Record<string, unknown> = {}
  for (const t of tables) out[t] = await api.db.selectFrom(t).selectAll().execute()
  return JSON.stringify(out, (_k, v) =>
    v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
  )
}
