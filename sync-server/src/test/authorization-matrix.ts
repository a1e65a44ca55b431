import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { tokens } from '../auth/tokens.js'
import { ACTORS, type Actor, createWorld, WORLD_PASSWORD, type World } from './world.js'

/*
 * The authorization matrix (src/projects/authorization-matrix*.test.ts): every /api/v1 route,
 * the status each actor gets with a session, and with each kind of personal API token. Its
 * ~3,000 tests each build a fresh world, so they are spread over three files that vitest runs
 * in parallel; this module holds the table they share.
 */

/**
 * One row per endpoint: how to call it in a fresh world, and the exact status each actor
 * gets. The last test fails when the app registers an `/api/v1` route missing here.
 */
export interface Row {
  method: string
  /** As registered in the app. */
  route: string
  call: (w: World) => { path?: string; body?: unknown }
  expect: Record<Actor, number>
  /** Answers an HTML page for a person (unsubscribe links), not the JSON error shape. */
  page?: boolean
}

const all = (status: number): Record<Actor, number> =>
  Object.fromEntries(ACTORS.map((a) => [a, status])) as Record<Actor, number>
const signedIn = (status: number) => ({ ...all(status), anonymous: 401 })
// anonymous, nonMember, viewer, member, admin, owner
const ladder = (...s: [number, number, number, number, number, number]) =>
  Object.fromEntries(ACTORS.map((a, i) => [a, s[i]])) as Record<Actor, number>

const p = (w: World) => `/api/v1/projects/${w.projectId}`

export const TABLE: Row[] = [
  {
    method: 'POST',
    route: '/api/v1/auth/register',
    call: () => ({ body: { email: 'fresh@example.org', password: 'long enough', name: 'F' } }),
    // Not the instance's first account: a verification link is mailed (issue 19; the
    // matrix runs with TASKFLOW_EMAIL_VERIFICATION=required, see below).
    expect: all(202),
  },
  {
    method: 'POST',
    route: '/api/v1/auth/verify-email',
    call: (w) => ({ body: { token: w.verifyToken } }),
    expect: all(200),
  },
  {
    method: 'POST',
    route: '/api/v1/auth/verify-email/resend',
    call: () => ({ body: { email: 'unverified@example.org' } }),
    expect: all(202),
  },
  {
    method: 'POST',
    route: '/api/v1/auth/login',
    call: (w) => ({ body: { email: w.target.email, password: WORLD_PASSWORD } }),
    expect: all(200),
  },
  { method: 'POST', route: '/api/v1/auth/logout', call: () => ({}), expect: signedIn(204) },
  { method: 'GET', route: '/api/v1/auth/config', call: () => ({}), expect: all(200) },
  // The API's own OpenAPI document: public, like the reference page at /api/docs.
  { method: 'GET', route: '/api/v1/openapi.json', call: () => ({}), expect: all(200) },
  // Single sign-on is public but off in this world (src/auth/oidc/oidc.test.ts runs it
  // against a real provider).
  { method: 'GET', route: '/api/v1/auth/oidc/start', call: () => ({}), expect: all(404) },
  { method: 'GET', route: '/api/v1/auth/oidc/callback', call: () => ({}), expect: all(404) },
  {
    method: 'POST',
    route: '/api/v1/auth/password-reset/request',
    call: (w) => ({ body: { email: w.target.email } }),
    expect: all(202),
  },
  {
    method: 'POST',
    route: '/api/v1/auth/password-reset/confirm',
    call: (w) => ({ body: { token: w.resetToken, newPassword: 'brand new secret' } }),
    expect: all(204),
  },
  { method: 'GET', route: '/api/v1/me', call: () => ({}), expect: signedIn(200) },
  // Instance administration: no project role opens it (the world's users are not instance
  // admins; src/admin/admin.test.ts covers the admin's own answers).
  { method: 'GET', route: '/api/v1/admin/accounts', call: () => ({}), expect: signedIn(403) },
  {
    method: 'POST',
    route: '/api/v1/admin/accounts/:id/disable',
    call: (w) => ({ path: `/api/v1/admin/accounts/${w.userId.member}/disable` }),
    expect: signedIn(403),
  },
  {
    method: 'POST',
    route: '/api/v1/admin/accounts/:id/enable',
    call: (w) => ({ path: `/api/v1/admin/accounts/${w.userId.member}/enable` }),
    expect: signedIn(403),
  },
  { method: 'GET', route: '/api/v1/admin/settings', call: () => ({}), expect: signedIn(403) },
  {
    method: 'PUT',
    route: '/api/v1/admin/settings',
    call: () => ({ body: { signup: 'invite_only' } }),
    expect: signedIn(403),
  },
  { method: 'POST', route: '/api/v1/admin/test-email', call: () => ({}), expect: signedIn(403) },
  { method: 'GET', route: '/api/v1/admin/health', call: () => ({}), expect: signedIn(403) },
  {
    method: 'PATCH',
    route: '/api/v1/me',
    call: () => ({ body: { name: 'Renamed' } }),
    expect: signedIn(200),
  },
  {
    method: 'POST',
    route: '/api/v1/me/password',
    call: () => ({ body: { currentPassword: WORLD_PASSWORD, newPassword: 'new password 1' } }),
    expect: signedIn(204),
  },
  { method: 'GET', route: '/api/v1/projects', call: () => ({}), expect: signedIn(200) },
  {
    method: 'POST',
    route: '/api/v1/projects',
    call: () => ({ body: { name: 'Another' } }),
    expect: signedIn(201),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id',
    call: (w) => ({ path: p(w) }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'PATCH',
    route: '/api/v1/projects/:id',
    call: (w) => ({ path: p(w), body: { name: 'Renamed' } }),
    expect: ladder(401, 403, 403, 403, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/archive',
    call: (w) => ({ path: `${p(w)}/archive` }),
    expect: ladder(401, 403, 403, 403, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/restore',
    call: (w) => ({ path: `${p(w)}/restore` }),
    expect: ladder(401, 403, 403, 403, 200, 200),
  },
  {
    method: 'DELETE',
    route: '/api/v1/projects/:id',
    call: (w) => ({ path: p(w) }),
    expect: ladder(401, 403, 403, 403, 403, 204),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/members',
    call: (w) => ({ path: `${p(w)}/members` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/authors',
    call: (w) => ({ path: `${p(w)}/authors` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/members',
    call: (w) => ({ path: `${p(w)}/members`, body: { email: 'new@example.org', role: 'member' } }),
    expect: ladder(401, 403, 403, 403, 201, 201),
  },
  {
    method: 'PATCH',
    route: '/api/v1/projects/:id/members/:userId',
    call: (w) => ({ path: `${p(w)}/members/${w.target.id}`, body: { role: 'viewer' } }),
    expect: ladder(401, 403, 403, 403, 200, 200),
  },
  {
    method: 'DELETE',
    route: '/api/v1/projects/:id/members/:userId',
    call: (w) => ({ path: `${p(w)}/members/${w.target.id}` }),
    expect: ladder(401, 403, 403, 403, 204, 204),
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/leave',
    call: (w) => ({ path: `${p(w)}/leave` }),
    // The sole owner cannot leave: a project always keeps an owner.
    expect: ladder(401, 403, 204, 204, 204, 409),
  },
  {
    method: 'DELETE',
    route: '/api/v1/projects/:id/invitations/:invitationId',
    call: (w) => ({ path: `${p(w)}/invitations/${w.invitation.id}` }),
    expect: ladder(401, 403, 403, 403, 204, 204),
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/invitations/:invitationId/resend',
    call: (w) => ({ path: `${p(w)}/invitations/${w.invitation.id}/resend` }),
    expect: ladder(401, 403, 403, 403, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/v1/invitations/lookup',
    call: (w) => ({ body: { token: w.invitation.token } }),
    expect: all(200),
  },
  {
    method: 'POST',
    route: '/api/v1/invitations/accept',
    call: (w) => ({ body: { token: w.invitation.token } }),
    expect: signedIn(200),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/reports/summary',
    call: (w) => ({ path: `${p(w)}/reports/summary` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/reports/throughput',
    call: (w) => ({ path: `${p(w)}/reports/throughput` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/reports/cumulative-flow',
    call: (w) => ({ path: `${p(w)}/reports/cumulative-flow` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/reports/burnup',
    call: (w) => ({ path: `${p(w)}/reports/burnup` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/reports/cycle-time',
    call: (w) => ({ path: `${p(w)}/reports/cycle-time` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/reports/workload',
    call: (w) => ({ path: `${p(w)}/reports/workload` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  { method: 'GET', route: '/api/v1/reports/me', call: () => ({}), expect: signedIn(200) },
  {
    // Any signed-in user may import: the result is a new project they own.
    method: 'POST',
    route: '/api/v1/projects/import/trello',
    call: () => ({ body: { id: 'b1', name: 'From Trello', lists: [], cards: [] } }),
    expect: signedIn(201),
  },
  {
    method: 'POST',
    route: '/api/v1/projects/import/csv',
    call: () => ({ body: { csv: 'title\nOne\n', preview: true } }),
    expect: signedIn(200),
  },
  {
    method: 'POST',
    route: '/api/v1/projects/import/taskflow',
    call: () => ({
      body: {
        format: 'taskflow-export',
        version: 1,
        exportedAt: '2026-01-01T00:00:00.000Z',
        project: { name: 'Copy', description: '' },
        board: {
          name: 'Copy',
          description: '',
          schemaVersion: 3,
          columns: [],
          labels: [],
          tasks: [],
        },
        members: [],
        activity: [],
        attachments: [],
      },
    }),
    expect: signedIn(201),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/export',
    call: (w) => ({ path: `${p(w)}/export` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    // Everyone signed in may search; what each finds is limited to the projects they can
    // read (search.test.ts). With the project's id, the role decides as on its routes.
    method: 'GET',
    route: '/api/v1/search',
    call: (w) => ({ path: `/api/v1/search?q=task&projectId=${w.projectId}` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    // A user's own views: any member of the project may keep some; a non-member gets 404
    // (as for an unknown project). Writes are idempotent (personal-views.test.ts).
    method: 'GET',
    route: '/api/v1/me/views',
    call: (w) => ({ path: `/api/v1/me/views?projectId=${w.projectId}` }),
    expect: ladder(401, 404, 200, 200, 200, 200),
  },
  {
    method: 'PUT',
    route: '/api/v1/me/views/:viewId',
    call: (w) => ({
      path: '/api/v1/me/views/mine',
      body: {
        projectId: w.projectId,
        name: 'Mine',
        state: {
          kind: 'list',
          filter: { fields: {} },
          sort: { key: 'manual' },
          group: 'none',
          columns: ['title'],
        },
        updatedAt: 1,
      },
    }),
    expect: ladder(401, 404, 200, 200, 200, 200),
  },
  {
    method: 'DELETE',
    route: '/api/v1/me/views/:viewId',
    call: () => ({ path: '/api/v1/me/views/mine' }),
    expect: signedIn(204),
  },
  {
    method: 'PUT',
    route: '/api/v1/projects/:id/visit',
    call: (w) => ({ path: `${p(w)}/visit` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/away',
    call: (w) => ({ path: `${p(w)}/away` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/activity',
    call: (w) => ({ path: `${p(w)}/activity` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  { method: 'GET', route: '/api/v1/notifications', call: () => ({}), expect: signedIn(200) },
  {
    method: 'GET',
    route: '/api/v1/notifications/unread-count',
    call: () => ({}),
    expect: signedIn(200),
  },
  {
    method: 'POST',
    route: '/api/v1/notifications/read-all',
    call: () => ({}),
    expect: signedIn(204),
  },
  {
    // Nobody owns notification 999999: the id is never someone else's to read.
    method: 'POST',
    route: '/api/v1/notifications/:id/read',
    call: () => ({ path: '/api/v1/notifications/999999/read' }),
    expect: signedIn(404),
  },
  {
    method: 'GET',
    route: '/api/v1/notifications/preferences',
    call: () => ({}),
    expect: signedIn(200),
  },
  {
    method: 'PUT',
    route: '/api/v1/notifications/preferences',
    call: () => ({ body: { emailMode: 'digest' } }),
    expect: signedIn(200),
  },
  {
    // Public; a forged token is refused for everyone, with a page rather than JSON (valid
    // ones: unsubscribe.test.ts).
    method: 'GET',
    route: '/api/v1/notifications/unsubscribe',
    call: () => ({ path: '/api/v1/notifications/unsubscribe?token=forged.token.value' }),
    expect: all(400),
    page: true,
  },
  {
    method: 'POST',
    route: '/api/v1/notifications/unsubscribe',
    call: () => ({ path: '/api/v1/notifications/unsubscribe?token=forged.token.value' }),
    expect: all(400),
    page: true,
  },
  {
    // An open stream never ends, so the matrix checks the gate with a bad query (400 after
    // the session check); notifications.test.ts reads a live stream.
    method: 'GET',
    route: '/api/v1/notifications/stream',
    call: () => ({ path: '/api/v1/notifications/stream?bogus=1' }),
    expect: signedIn(400),
  },
  { method: 'GET', route: '/api/v1/me/tokens', call: () => ({}), expect: signedIn(200) },
  {
    method: 'POST',
    route: '/api/v1/me/tokens',
    call: () => ({ body: { name: 'CI', scope: 'read' } }),
    expect: signedIn(201),
  },
  {
    // Nobody owns this token id: never someone else's to revoke.
    method: 'DELETE',
    route: '/api/v1/me/tokens/:id',
    call: () => ({ path: `/api/v1/me/tokens/${randomUUID()}` }),
    expect: signedIn(404),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/tasks/:taskId/watch',
    call: (w) => ({ path: `${p(w)}/tasks/task1/watch` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'PUT',
    route: '/api/v1/projects/:id/tasks/:taskId/watch',
    call: (w) => ({ path: `${p(w)}/tasks/task1/watch` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'DELETE',
    route: '/api/v1/projects/:id/tasks/:taskId/watch',
    call: (w) => ({ path: `${p(w)}/tasks/task1/watch` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/webhooks',
    call: (w) => ({ path: `${p(w)}/webhooks` }),
    expect: ladder(401, 403, 403, 403, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/webhooks',
    call: (w) => ({
      path: `${p(w)}/webhooks`,
      body: { url: 'https://93.184.216.34/other', events: ['task.created'] },
    }),
    expect: ladder(401, 403, 403, 403, 201, 201),
  },
  {
    method: 'PATCH',
    route: '/api/v1/projects/:id/webhooks/:hookId',
    call: (w) => ({ path: `${p(w)}/webhooks/${w.webhook.id}`, body: { description: 'CI' } }),
    expect: ladder(401, 403, 403, 403, 200, 200),
  },
  {
    method: 'DELETE',
    route: '/api/v1/projects/:id/webhooks/:hookId',
    call: (w) => ({ path: `${p(w)}/webhooks/${w.webhook.id}` }),
    expect: ladder(401, 403, 403, 403, 204, 204),
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/webhooks/:hookId/rotate-secret',
    call: (w) => ({ path: `${p(w)}/webhooks/${w.webhook.id}/rotate-secret` }),
    expect: ladder(401, 403, 403, 403, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/webhooks/:hookId/deliveries',
    call: (w) => ({ path: `${p(w)}/webhooks/${w.webhook.id}/deliveries` }),
    expect: ladder(401, 403, 403, 403, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/webhooks/:hookId/deliveries/:deliveryId/redeliver',
    call: (w) => ({
      path: `${p(w)}/webhooks/${w.webhook.id}/deliveries/${w.webhook.deliveryId}/redeliver`,
    }),
    expect: ladder(401, 403, 403, 403, 202, 202),
  },
  // The task API (src/tasks): viewers read, members write, like the board itself.
  {
    method: 'GET',
    route: '/api/v1/projects/:id/board',
    call: (w) => ({ path: `${p(w)}/board` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/tasks',
    call: (w) => ({ path: `${p(w)}/tasks` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/tasks',
    call: (w) => ({ path: `${p(w)}/tasks`, body: { title: 'From the API' } }),
    expect: ladder(401, 403, 403, 201, 201, 201),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/tasks/:taskId',
    call: (w) => ({ path: `${p(w)}/tasks/${w.taskId}` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'PATCH',
    route: '/api/v1/projects/:id/tasks/:taskId',
    call: (w) => ({ path: `${p(w)}/tasks/${w.taskId}`, body: { priority: 'high' } }),
    expect: ladder(401, 403, 403, 200, 200, 200),
  },
  {
    method: 'DELETE',
    route: '/api/v1/projects/:id/tasks/:taskId',
    call: (w) => ({ path: `${p(w)}/tasks/${w.taskId}` }),
    expect: ladder(401, 403, 403, 204, 204, 204),
  },
  // Custom fields: members read, admins define (the board's live document, like tasks).
  {
    method: 'GET',
    route: '/api/v1/projects/:id/fields',
    call: (w) => ({ path: `${p(w)}/fields` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/fields',
    call: (w) => ({ path: `${p(w)}/fields`, body: { name: 'Cost', type: 'number' } }),
    expect: ladder(401, 403, 403, 403, 201, 201),
  },
  {
    method: 'PATCH',
    route: '/api/v1/projects/:id/fields/:fieldId',
    call: (w) => ({ path: `${p(w)}/fields/${w.fieldId}`, body: { name: 'Renamed' } }),
    expect: ladder(401, 403, 403, 403, 200, 200),
  },
  {
    method: 'DELETE',
    route: '/api/v1/projects/:id/fields/:fieldId',
    call: (w) => ({ path: `${p(w)}/fields/${w.fieldId}` }),
    expect: ladder(401, 403, 403, 403, 204, 204),
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/tasks/:taskId/move',
    call: (w) => ({ path: `${p(w)}/tasks/${w.taskId}/move`, body: { columnId: w.columnId } }),
    expect: ladder(401, 403, 403, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/tasks/:taskId/comments',
    call: (w) => ({ path: `${p(w)}/tasks/${w.taskId}/comments` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/tasks/:taskId/comments',
    call: (w) => ({ path: `${p(w)}/tasks/${w.taskId}/comments`, body: { body: 'Hello' } }),
    expect: ladder(401, 403, 403, 201, 201, 201),
  },
  // Board history (src/history): viewers read the past, members restore it.
  {
    method: 'GET',
    route: '/api/v1/projects/:id/tasks/:taskId/history',
    call: (w) => ({ path: `${p(w)}/tasks/${w.taskId}/history` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/history/changes',
    call: (w) => ({ path: `${p(w)}/history/changes` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/history/restore',
    call: (w) => ({
      path: `${p(w)}/history/restore`,
      body: { at: new Date(w.api.now()).toISOString(), taskId: w.taskId },
    }),
    expect: ladder(401, 403, 403, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/tasks/:taskId/relations',
    call: (w) => ({ path: `${p(w)}/tasks/${w.taskId}/relations` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/v1/projects/:id/tasks/:taskId/relations',
    call: (w) => ({
      path: `${p(w)}/tasks/${w.taskId}/relations`,
      body: { kind: 'blocked_by', taskId: w.otherTaskId },
    }),
    expect: ladder(401, 403, 403, 201, 201, 201),
  },
  {
    method: 'DELETE',
    route: '/api/v1/projects/:id/tasks/:taskId/relations',
    call: (w) => ({
      path: `${p(w)}/tasks/${w.taskId}/relations?kind=blocked_by&taskId=${w.otherTaskId}`,
    }),
    expect: ladder(401, 403, 403, 204, 204, 204),
  },
  {
    // Upload: members and up (a read token is refused as for any write).
    method: 'POST',
    route: '/api/v1/projects/:id/attachments',
    call: (w) => ({ path: `${p(w)}/attachments?name=a.txt`, body: 'hello' }),
    expect: ladder(401, 403, 403, 201, 201, 201),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/attachments/:sha256',
    call: (w) => ({ path: `${p(w)}/attachments/${w.attachment}` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/attachments/:sha256/thumbnail',
    call: (w) => ({ path: `${p(w)}/attachments/${w.attachment}/thumbnail` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/v1/projects/:id/attachments/:sha256/status',
    call: (w) => ({ path: `${p(w)}/attachments/${w.attachment}/status` }),
    expect: ladder(401, 403, 200, 200, 200, 200),
  },
]

/**
 * How a personal API token may reach each signed-in route (docs/api.md, "Tokens"):
 * - `project`: a route of one project: the owner's role decides as for a session, but a
 *   token limited to other projects gets 404 and a read token 403 on anything but GET;
 * - `account`: an account-level route open to every token (read tokens: GET only);
 * - `allProjects`: spans or creates projects: 403 to a project-limited token;
 * - `closed`: account management (tokens, passwords, sessions, e-mail, SSO, notification
 *   settings, members, invitations, admin): 403 to every token.
 * A new signed-in route fails authorization-matrix.test.ts until it is given a line here.
 */
type TokenAccess = 'project' | 'account' | 'allProjects' | 'closed'
export const TOKEN_ACCESS: Record<string, TokenAccess> = {
  'POST /api/v1/auth/logout': 'closed',
  'GET /api/v1/me': 'account',
  'PATCH /api/v1/me': 'closed',
  'POST /api/v1/me/password': 'closed',
  'GET /api/v1/me/tokens': 'closed',
  'POST /api/v1/me/tokens': 'closed',
  'DELETE /api/v1/me/tokens/:id': 'closed',
  'GET /api/v1/admin/accounts': 'closed',
  'POST /api/v1/admin/accounts/:id/disable': 'closed',
  'POST /api/v1/admin/accounts/:id/enable': 'closed',
  'GET /api/v1/admin/settings': 'closed',
  'PUT /api/v1/admin/settings': 'closed',
  'POST /api/v1/admin/test-email': 'closed',
  'GET /api/v1/admin/health': 'closed',
  'GET /api/v1/projects': 'account',
  'POST /api/v1/projects': 'allProjects',
  'GET /api/v1/projects/:id': 'project',
  'PATCH /api/v1/projects/:id': 'project',
  'POST /api/v1/projects/:id/archive': 'project',
  'POST /api/v1/projects/:id/restore': 'project',
  'DELETE /api/v1/projects/:id': 'closed',
  'GET /api/v1/projects/:id/members': 'project',
  'GET /api/v1/projects/:id/authors': 'project',
  'POST /api/v1/projects/:id/members': 'closed',
  'PATCH /api/v1/projects/:id/members/:userId': 'closed',
  'DELETE /api/v1/projects/:id/members/:userId': 'closed',
  'POST /api/v1/projects/:id/leave': 'closed',
  'DELETE /api/v1/projects/:id/invitations/:invitationId': 'closed',
  'POST /api/v1/projects/:id/invitations/:invitationId/resend': 'closed',
  'POST /api/v1/invitations/accept': 'closed',
  'GET /api/v1/projects/:id/reports/summary': 'project',
  'GET /api/v1/projects/:id/reports/throughput': 'project',
  'GET /api/v1/projects/:id/reports/cumulative-flow': 'project',
  'GET /api/v1/projects/:id/reports/burnup': 'project',
  'GET /api/v1/projects/:id/reports/cycle-time': 'project',
  'GET /api/v1/projects/:id/reports/workload': 'project',
  'GET /api/v1/reports/me': 'allProjects',
  'GET /api/v1/search': 'project',
  // Personal views are the app's own settings: sessions only.
  'GET /api/v1/me/views': 'closed',
  'PUT /api/v1/me/views/:viewId': 'closed',
  'DELETE /api/v1/me/views/:viewId': 'closed',
  'GET /api/v1/projects/:id/activity': 'project',
  'PUT /api/v1/projects/:id/visit': 'project',
  'GET /api/v1/projects/:id/away': 'project',
  'POST /api/v1/projects/import/trello': 'allProjects',
  'POST /api/v1/projects/import/csv': 'allProjects',
  'POST /api/v1/projects/import/taskflow': 'allProjects',
  'GET /api/v1/projects/:id/export': 'project',
  'GET /api/v1/notifications': 'closed',
  'GET /api/v1/notifications/unread-count': 'closed',
  'POST /api/v1/notifications/read-all': 'closed',
  'POST /api/v1/notifications/:id/read': 'closed',
  'GET /api/v1/notifications/preferences': 'closed',
  'PUT /api/v1/notifications/preferences': 'closed',
  'GET /api/v1/notifications/stream': 'closed',
  'GET /api/v1/projects/:id/tasks/:taskId/watch': 'project',
  'PUT /api/v1/projects/:id/tasks/:taskId/watch': 'project',
  'DELETE /api/v1/projects/:id/tasks/:taskId/watch': 'project',
  // Integrations set up their own webhooks with a write token (admin role still needed).
  'GET /api/v1/projects/:id/webhooks': 'project',
  'POST /api/v1/projects/:id/webhooks': 'project',
  'PATCH /api/v1/projects/:id/webhooks/:hookId': 'project',
  'DELETE /api/v1/projects/:id/webhooks/:hookId': 'project',
  'POST /api/v1/projects/:id/webhooks/:hookId/rotate-secret': 'project',
  'GET /api/v1/projects/:id/webhooks/:hookId/deliveries': 'project',
  'POST /api/v1/projects/:id/webhooks/:hookId/deliveries/:deliveryId/redeliver': 'project',
  // The task API: a project's board, read and written with the owner's role.
  'GET /api/v1/projects/:id/board': 'project',
  'GET /api/v1/projects/:id/tasks': 'project',
  'POST /api/v1/projects/:id/tasks': 'project',
  'GET /api/v1/projects/:id/tasks/:taskId': 'project',
  'PATCH /api/v1/projects/:id/tasks/:taskId': 'project',
  'DELETE /api/v1/projects/:id/tasks/:taskId': 'project',
  'GET /api/v1/projects/:id/fields': 'project',
  'POST /api/v1/projects/:id/fields': 'project',
  'PATCH /api/v1/projects/:id/fields/:fieldId': 'project',
  'DELETE /api/v1/projects/:id/fields/:fieldId': 'project',
  'POST /api/v1/projects/:id/tasks/:taskId/move': 'project',
  'GET /api/v1/projects/:id/tasks/:taskId/comments': 'project',
  'POST /api/v1/projects/:id/tasks/:taskId/comments': 'project',
  'GET /api/v1/projects/:id/tasks/:taskId/relations': 'project',
  'POST /api/v1/projects/:id/tasks/:taskId/relations': 'project',
  'DELETE /api/v1/projects/:id/tasks/:taskId/relations': 'project',
  // Board history: read with any token of the project, restored with a write token.
  'GET /api/v1/projects/:id/tasks/:taskId/history': 'project',
  'GET /api/v1/projects/:id/history/changes': 'project',
  'POST /api/v1/projects/:id/history/restore': 'project',
  // Integrations attach files with a write token and read them with any token.
  'POST /api/v1/projects/:id/attachments': 'project',
  'GET /api/v1/projects/:id/attachments/:sha256': 'project',
  'GET /api/v1/projects/:id/attachments/:sha256/status': 'project',
  'GET /api/v1/projects/:id/attachments/:sha256/thumbnail': 'project',
}

/** Scope × project limit: `Here` is limited to the world's project, `Elsewhere` to another one. */
const TOKEN_KINDS = {
  read: { scope: 'read', limit: 'none' },
  write: { scope: 'write', limit: 'none' },
  readHere: { scope: 'read', limit: 'here' },
  writeHere: { scope: 'write', limit: 'here' },
  writeElsewhere: { scope: 'write', limit: 'elsewhere' },
} as const
export type TokenKind = keyof typeof TOKEN_KINDS
const TOKEN_ACTORS = ACTORS.filter((a) => a !== 'anonymous') as Exclude<Actor, 'anonymous'>[]

/** The status a token of `kind` held by `actor` must get, from the session's and the route's access. */
function tokenStatus(row: Row, access: TokenAccess, kind: TokenKind, actor: Actor): number {
  const { scope, limit } = TOKEN_KINDS[kind]
  const writes = row.method !== 'GET' && row.method !== 'HEAD'
  if (access === 'closed') return 403
  if (access === 'project' && limit === 'elsewhere') return 404
  if (access === 'allProjects' && limit !== 'none') return 403
  if (scope === 'read' && writes) return 403
  return row.expect[actor]
}

/**
 * A token row inserted directly, as `POST /me/tokens` would store it: a token may outlive
 * its owner's membership, so a non-member's token limited to the project is a real case.
 */
export async function insertToken(w: World, actor: Exclude<Actor, 'anonymous'>, kind: TokenKind) {
  const { scope, limit } = TOKEN_KINDS[kind]
  const secret = `tfp_${tokens.create().token}`
  const projectIds =
    limit === 'none' ? null : JSON.stringify([limit === 'here' ? w.projectId : randomUUID()])
  await w.api.db
    .insertInto('api_tokens')
    .values({
      id: randomUUID(),
      user_id: w.userId[actor],
      token_hash: tokens.hash(secret),
      name: kind,
      scope,
      project_ids: projectIds,
      created_at: w.api.now(),
      expires_at: null,
      last_used_at: null,
    })
    .execute()
  return secret
}

/**
 * Registers share `part` of `of` of the token matrix's tests (every `of`-th test, so each file
 * gets an even share of every route and kind, and the files together run every test).
 */
export function describeTokenMatrix(part: number, of: number) {
  describe(`authorization matrix for personal API tokens (scope × project limit × role), part ${part + 1} of ${of}`, () => {
    let index = 0
    for (const row of TABLE) {
      const access = TOKEN_ACCESS[`${row.method} ${row.route}`]
      if (!access) continue
      for (const kind of Object.keys(TOKEN_KINDS) as TokenKind[]) {
        for (const actor of TOKEN_ACTORS) {
          if (index++ % of !== part) continue
          const status = tokenStatus(row, access, kind, actor)
          it(`${row.method} ${row.route} with a ${kind} token of ${actor} → ${status}`, async () => {
            // The task API needs the live board (a hub); the other rows are cheaper without.
            const w = await createWorld({
              env: { TASKFLOW_EMAIL_VERIFICATION: 'required' },
              hub: /\/(board|tasks|fields|history)(\/|$)/.test(row.route),
            })
            const { path = row.route, body } = row.call(w)
            const token = await insertToken(w, actor, kind)
            const res = await w.api.call(row.method, path, { token, body })
            expect(res.status, JSON.stringify(res.body)).toBe(status)
            if (status >= 400) expect(res.body.error.code).toEqual(expect.any(String))
          })
        }
      }
    }
  })
}
