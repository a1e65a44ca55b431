import { describe, expect, it } from 'vitest'
import { createWorld, snapshotDatabase, type World } from '../test/world.js'

/**
 * Malformed requests per endpoint: each must get 400/413 with the error shape and leave
 * every table untouched. `as` picks the caller so the rejection is about the input, not
 * about permissions.
 */
interface BadCase {
  name: string
  method: string
  path: (w: World) => string
  as?: 'owner' | 'anonymous'
  body: unknown
  headers?: Record<string, string>
  status: 400 | 413
}

const MALFORMED_JSON = '{"email": "a@b.c", '
const BIG = 'x'.repeat(2048)
const p = (w: World) => `/api/v1/projects/${w.projectId}`
const UUID = '0b6f5c1e-3c52-4c55-9b1e-5d0f7f7a8e01'
const VIEW_STATE = {
  kind: 'list',
  filter: { fields: {} },
  sort: { key: 'manual' },
  group: 'none',
  columns: ['title'],
}

const BODIES: Array<{
  method: string
  path: (w: World) => string
  as?: 'owner' | 'anonymous'
  bad: Record<string, unknown>
}> = [
  {
    method: 'POST',
    path: () => '/api/v1/auth/register',
    as: 'anonymous',
    bad: {
      'missing password': { email: 'a@example.org', name: 'A' },
      'email not an address': { email: 'nope', password: 'long enough', name: 'A' },
      'password too short': { email: 'a@example.org', password: 'short', name: 'A' },
      'name a number': { email: 'a@example.org', password: 'long enough', name: 7 },
      'blank name': { email: 'a@example.org', password: 'long enough', name: '   ' },
      'NUL in name': { email: 'a@example.org', password: 'correct horse battery', name: 'A\u0000' },
      'bidi override in name': {
        email: 'a@example.org',
        password: 'correct horse battery',
        name: 'Ann\u202Enimda',
      },
      'common password': { email: 'a@example.org', password: '12345678', name: 'A' },
      'unknown field': { email: 'a@example.org', password: 'long enough', name: 'A', admin: true },
      'malformed invitation token': {
        email: 'a@example.org',
        password: 'long enough',
        name: 'A',
        invitationToken: 'abc',
      },
    },
  },
  {
    method: 'POST',
    path: () => '/api/v1/auth/login',
    as: 'anonymous',
    bad: {
      'password null': { email: 'owner@example.org', password: null },
      'email array': { email: ['owner@example.org'], password: 'x' },
      'unknown field': { email: 'owner@example.org', password: 'x', remember: true },
    },
  },
  {
    method: 'POST',
    path: () => '/api/v1/auth/password-reset/request',
    as: 'anonymous',
    bad: {
      'no email': {},
      'email number': { email: 1 },
      'extra field': { email: 'a@b.org', x: 1 },
    },
  },
  {
    method: 'POST',
    path: () => '/api/v1/auth/password-reset/confirm',
    as: 'anonymous',
    bad: {
      'token too short': { token: 'abc', newPassword: 'long enough' },
      'no password': { token: 'A'.repeat(43) },
    },
  },
  {
    method: 'PATCH',
    path: () => '/api/v1/me',
    bad: {
      empty: {},
      'bad colour': { avatarColor: 'red' },
      'name too long': { name: 'n'.repeat(101) },
      'line break in name': { name: 'Ann\r\nBcc: x@example.org' },
      'bidi isolate in name': { name: 'Ann\u2066' },
      'unknown field': { email: 'new@example.org' },
    },
  },
  {
    method: 'POST',
    path: () => '/api/v1/me/password',
    bad: {
      'new password too short': { currentPassword: 'world password 1', newPassword: 'short' },
      'new password common': { currentPassword: 'world password 1', newPassword: 'password1' },
      'missing current': { newPassword: 'long enough' },
    },
  },
  {
    method: 'POST',
    path: () => '/api/v1/projects',
    bad: {
      'no name': { description: 'd' },
      'name object': { name: { en: 'x' } },
      'name too long': { name: 'n'.repeat(201) },
      'newline in name': { name: 'Launch\nparty' },
      'HTML and NUL in name': { name: '<b>P</b>\u0000' },
      'bidi override in name': { name: 'Launch\u202Egnp.exe' },
      'unknown field': { name: 'P', id: '00000000-0000-4000-8000-000000000000' },
    },
  },
  {
    method: 'PATCH',
    path: p,
    bad: {
      empty: {},
      'blank name': { name: '' },
      'tab in name': { name: 'a\tb' },
      'C1 control in name': { name: 'a\u0085b' },
      'archivedAt smuggled': { archivedAt: null },
    },
  },
  {
    method: 'POST',
    path: (w) => `${p(w)}/members`,
    bad: {
      'unknown role': { email: 'x@example.org', role: 'superuser' },
      'no email': { role: 'member' },
      'extra field': { email: 'x@example.org', role: 'member', userId: 'u' },
    },
  },
  {
    method: 'PATCH',
    path: (w) => `${p(w)}/members/${w.target.id}`,
    bad: { 'no role': {}, 'role number': { role: 1 } },
  },
  // The task API: refused by its schema, or by the board operation itself.
  {
    method: 'POST',
    path: (w) => `${p(w)}/tasks`,
    bad: {
      'no title': { columnId: 'x' },
      'blank title': { title: '   ' },
      'title too long': { title: 't'.repeat(501) },
      'NUL in title': { title: 'a\u0000b' },
      'unknown priority': { title: 'T', priority: 'asap' },
      'date not a date': { title: 'T', dueDate: '2026-02-30' },
      'start after due': { title: 'T', startDate: '2026-03-02', dueDate: '2026-03-01' },
      'negative estimate': { title: 'T', estimate: -1 },
      'unknown column': { title: 'T', columnId: 'nope' },
      'unknown label': { title: 'T', labelIds: ['nope'] },
      'assignee not a member': {
        title: 'T',
        assigneeIds: ['00000000-0000-4000-8000-000000000000'],
      },
      'unknown parent': { title: 'T', parentId: 'x' },
    },
  },
  {
    method: 'PATCH',
    path: (w) => `${p(w)}/tasks/${w.taskId}`,
    bad: {
      empty: {},
      'blank title': { title: '' },
      'title a number': { title: 7 },
      'deletedAt smuggled': { deletedAt: null },
    },
  },
  {
    method: 'POST',
    path: (w) => `${p(w)}/tasks/${w.taskId}/move`,
    bad: {
      'no column': {},
      'unknown column': { columnId: 'nope' },
      'before a task of another column': { columnId: 'nope', beforeTaskId: 'x' },
      'before and after': { columnId: 'c', beforeTaskId: 'a', afterTaskId: 'b' },
    },
  },
  {
    method: 'POST',
    path: (w) => `${p(w)}/tasks/${w.taskId}/comments`,
    bad: { 'blank body': { body: ' ' }, 'body a number': { body: 42 } },
  },
  {
    method: 'POST',
    path: (w) => `${p(w)}/tasks/${w.taskId}/relations`,
    bad: {
      'unknown kind': { kind: 'supersedes', taskId: 'x' },
      'unknown task': { kind: 'blocked_by', taskId: 'nope' },
      'no task': { kind: 'relates_to' },
    },
  },
  {
    method: 'POST',
    path: (w) => `${p(w)}/webhooks`,
    bad: {
      'no url': { events: ['task.created'] },
      'ftp url': { url: 'ftp://93.184.216.34/x', events: ['task.created'] },
      'not a url': { url: 'hook me', events: ['task.created'] },
      'credentials in url': { url: 'https://u:p@93.184.216.34/x', events: ['task.created'] },
      'loopback url': { url: 'http://127.0.0.1:9/hook', events: ['task.created'] },
      'metadata url': { url: 'http://169.254.169.254/latest/meta-data', events: ['task.created'] },
      'no events': { url: 'https://93.184.216.34/x', events: [] },
      'unknown event': { url: 'https://93.184.216.34/x', events: ['task.exploded'] },
      'repeated event': {
        url: 'https://93.184.216.34/x',
        events: ['task.created', 'task.created'],
      },
      'secret smuggled': { url: 'https://93.184.216.34/x', events: ['task.created'], secret: 'x' },
    },
  },
  {
    method: 'PATCH',
    path: (w) => `${p(w)}/webhooks/${w.webhook?.id ?? ':hookId'}`,
    bad: {
      empty: {},
      'private url': { url: 'http://10.0.0.8/hook' },
      'enabled string': { enabled: 'yes' },
      'events not a list': { events: 'task.created' },
    },
  },
  {
    method: 'PUT',
    path: () => '/api/v1/me/views/v1',
    bad: {
      empty: {},
      'project id not a uuid': { projectId: 'p', name: 'A', state: VIEW_STATE, updatedAt: 1 },
      'blank name': { projectId: UUID, name: '  ', state: VIEW_STATE, updatedAt: 1 },
      'state a string': { projectId: UUID, name: 'A', state: 'list', updatedAt: 1 },
      'updatedAt negative': { projectId: UUID, name: 'A', state: VIEW_STATE, updatedAt: -5 },
      'unknown field': { projectId: UUID, name: 'A', state: VIEW_STATE, updatedAt: 1, x: 1 },
    },
  },
  {
    method: 'POST',
    path: () => '/api/v1/invitations/lookup',
    as: 'anonymous',
    bad: { 'no token': {}, 'token number': { token: 42 } },
  },
  {
    method: 'POST',
    path: () => '/api/v1/invitations/accept',
    bad: { 'no token': {}, 'malformed token': { token: 'x'.repeat(44) } },
  },
]

const CASES: BadCase[] = BODIES.flatMap(({ method, path, as, bad }) => [
  ...Object.entries(bad).map(([name, body]) => ({
    name,
    method,
    path,
    as,
    body,
    status: 400 as const,
  })),
  { name: 'malformed JSON', method, path, as, body: MALFORMED_JSON, status: 400 as const },
  { name: 'JSON array', method, path, as, body: [], status: 400 as const },
  { name: 'oversized body', method, path, as, body: { pad: BIG }, status: 413 as const },
])

// Bad path parameters and query strings on routes without bodies.
const PARAMS: BadCase[] = [
  {
    name: 'personal views without a project id',
    method: 'GET',
    path: () => '/api/v1/me/views',
    body: undefined,
    status: 400,
  },
  {
    name: 'personal view id with a space',
    method: 'DELETE',
    path: () => '/api/v1/me/views/a%20b',
    body: undefined,
    status: 400,
  },
  {
    name: 'project id not a uuid',
    method: 'GET',
    path: () => '/api/v1/projects/42',
    body: undefined,
    status: 400,
  },
  {
    name: 'project id not a uuid',
    method: 'DELETE',
    path: () => '/api/v1/projects/abc',
    body: undefined,
    status: 400,
  },
  {
    name: 'member id not a uuid',
    method: 'DELETE',
    path: (w) => `${p(w)}/members/me`,
    body: undefined,
    status: 400,
  },
  {
    name: 'invitation id not a uuid',
    method: 'DELETE',
    path: (w) => `${p(w)}/invitations/1`,
    body: undefined,
    status: 400,
  },
  {
    name: 'webhook id not a uuid',
    method: 'DELETE',
    path: (w) => `${p(w)}/webhooks/7`,
    body: undefined,
    status: 400,
  },
  {
    name: 'delivery cursor not a number',
    method: 'GET',
    path: (w) => `${p(w)}/webhooks/${w.webhook?.id ?? ':hookId'}/deliveries?before=x`,
    body: undefined,
    status: 400,
  },
  {
    name: 'task id with a slash-free but bad character',
    method: 'GET',
    path: (w) => `${p(w)}/tasks/a.b`,
    body: undefined,
    status: 400,
  },
  {
    name: 'limit over 200',
    method: 'GET',
    path: (w) => `${p(w)}/tasks?limit=201`,
    body: undefined,
    status: 400,
  },
  {
    name: 'forged cursor',
    method: 'GET',
    path: (w) => `${p(w)}/tasks?cursor=bm9wZQ`,
    body: undefined,
    status: 400,
  },
  {
    name: 'due range not dates',
    method: 'GET',
    path: (w) => `${p(w)}/tasks?dueFrom=tomorrow`,
    body: undefined,
    status: 400,
  },
  {
    name: 'relation of an unknown kind',
    method: 'DELETE',
    path: (w) => `${p(w)}/tasks/${w.taskId}/relations?kind=supersedes&taskId=x`,
    body: undefined,
    status: 400,
  },
  {
    name: 'malformed Idempotency-Key',
    method: 'POST',
    path: (w) => `${p(w)}/tasks`,
    body: { title: 'T' },
    headers: { 'idempotency-key': 'has space' },
    status: 400,
  },
  {
    name: 'unknown query parameter',
    method: 'GET',
    path: () => '/api/v1/projects?all=1',
    body: undefined,
    status: 400,
  },
  {
    name: 'unknown query parameter',
    method: 'DELETE',
    path: (w) => `${p(w)}?force=1`,
    body: undefined,
    status: 400,
  },
]

describe('bad input changes nothing', () => {
  for (const c of [...CASES, ...PARAMS]) {
    it(`${c.method} ${c.path({ projectId: ':id', target: { id: ':userId' }, taskId: ':taskId' } as World)} — ${c.name} → ${c.status}`, async () => {
      const w = await createWorld({ env: { TASKFLOW_MAX_BODY_BYTES: '1024' }, hub: true })
      const before = await snapshotDatabase(w.api)
      const token = c.as === 'anonymous' ? undefined : w.token.owner
      const res = await w.api.call(c.method, c.path(w), { token, body: c.body, headers: c.headers })
      expect(res.status, JSON.stringify(res.body)).toBe(c.status)
      expect(res.body).toEqual({
        error: { code: expect.any(String), message: expect.any(String) },
      })
      expect(await snapshotDatabase(w.api)).toBe(before)
    })
  }

  it('rejects a JSON body sent without a JSON content type', async () => {
    const w = await createWorld()
    const before = await snapshotDatabase(w.api)
    const res = await w.api.call('POST', '/api/v1/projects', {
      token: w.token.owner,
      body: '{"name":"P"}',
      headers: { 'content-type': 'text/plain' },
    })
    expect(res.status).toBe(400)
    expect(await snapshotDatabase(w.api)).toBe(before)
  })
})
