import { CLOSE_CODES } from '@taskflow/api'
import { describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { connectProvider, waitFor, waitSynced } from '../sync/sync-test-utils.js'
import { client, collabWorld, json, startCollabServer } from '../test/collab.js'
import { readSse, type SseClient } from '../test/sse-client.js'
import { queryStored } from '../test/stored.js'
import { clusterEnv } from './cluster-test-utils.js'

const NEVER = 3_600_000

/** Close codes a provider's sockets were closed with, in order. */
function closesOf(provider: WebsocketProvider): number[] {
  const codes: number[] = []
  provider.on('connection-close', (event) => {
    if (event) codes.push(event.code)
  })
  return codes
}

/** Ann's project on node A (Bob and Cat members), node B on the same database and Redis. */
async function twoNodeWorld(deps: Parameters<typeof collabWorld>[0] = {}) {
  const env = clusterEnv()
  const world = await collabWorld({ ...deps, env: { ...env, ...deps.env } })
  const b = await startCollabServer(world.clock, {
    dir: world.server.dir,
    env: { ...env, ...deps.env },
    deps: deps.deps,
  })
  return { ...world, a: world.server, b }
}

/** Polls a node's `/metrics` until a line reads exactly `line`. */
async function waitForMetric(server: { url: string }, line: string): Promise<void> {
  let text = ''
  const fetching = async () => {
    text = await (await fetch(`${server.url}/metrics`)).text()
  }
  await fetching()
  const deadline = performance.now() + 5000
  while (!text.split('\n').includes(line)) {
    if (performance.now() > deadline) throw new Error(`metric never read ${line}`)
    await fetching()
  }
}

const streams: SseClient[] = []

async function stream(server: { url: string }, token: string): Promise<SseClient> {
  const res = await fetch(`${server.url}/api/v1/notifications/stream`, {
    headers: { authorization: `Bearer ${token}` },
  })
  expect(res.status).toBe(200)
  const s = readSse(res)
  streams.push(s)
  await s.next((e) => e.event === 'unread', 'the initial unread count')
  return s
}

describe('access across nodes', () => {
  it('removing a member on node A closes their socket on node B within 1 s', async () => {
    const { a, b, projectId, ann, bob } = await twoNodeWorld()
    const bobs = await client(b, projectId, bob)
    const closes = closesOf(bobs)
    const removed = await json(a, 'DELETE', `/projects/${projectId}/members/${bob.id}`, ann.token)
    expect(removed.status).toBe(204)
    const answered = performance.now()
    await waitFor(() => closes.includes(CLOSE_CODES.forbidden), 'closed with 4403', 1000)
    expect(performance.now() - answered).toBeLessThan(1000)
  })

  it('a downgrade to viewer on node A makes the socket on node B read-only', async () => {
    const { a, b, projectId, ann, bob } = await twoNodeWorld({ env: { TASKFLOW_METRICS: '1' } })
    const bobs = await client(b, projectId, bob)
    const anns = await client(a, projectId, ann)
    const changed = await json(a, 'PATCH', `/projects/${projectId}/members/${bob.id}`, ann.token, {
      role: 'viewer',
    })
    expect(changed.status).toBe(200)
    // Node B serves Bob's socket read-only (its metrics count it so) ...
    await waitForMetric(b, 'taskflow_sync_connections{access="read"} 1')
    // ... so his edit is neither stored nor relayed, while Ann's still reaches him.
    bobs.doc.getText('scratch').insert(0, 'x')
    anns.doc.getText('scratch2').insert(0, 'from ann')
    await waitFor(() => bobs.doc.getText('scratch2').toString() === 'from ann', 'ann relayed')
    await a.idle()
    await b.idle()
    expect(anns.doc.getText('scratch').toString()).toBe('')
  })

  it('two nodes binding one client id to two users at once: exactly one socket gets 4403', async () => {
    let isolated = false
    // Neither node hears the other's update before binding: a true race on the database.
    const { a, b, projectId, ann, bob, server } = await twoNodeWorld({
      deps: { cluster: { catchUpMs: NEVER, dropIncoming: () => isolated } },
    })
    // Both rooms open before the race: a room that loaded after the other node's commit
    // would already hold that client's structs, and the second provider's sync step 2 would
    // then carry nothing under the id (no claim, so no 4403: it just never syncs its text).
    await client(a, projectId, ann)
    await client(b, projectId, bob)
    isolated = true
    const CLIENT = 424242
    const docs = [new Y.Doc(), new Y.Doc()]
    docs.forEach((d, i) => {
      d.clientID = CLIENT
      d.getText('scratch').insert(0, i === 0 ? 'ann' : 'bob')
    })
    const [pa, pb] = [
      connectProvider(a, projectId, { token: ann.token, doc: docs[0], connect: false }),
      connectProvider(b, projectId, { token: bob.token, doc: docs[1], connect: false }),
    ]
    const closes = [closesOf(pa), closesOf(pb)]
    pa.connect()
    pb.connect()
    await waitFor(
      () => closes.some((c) => c.includes(CLOSE_CODES.forbidden)),
      'one socket refused with 4403',
    )
    const loser = closes[0]!.includes(CLOSE_CODES.forbidden) ? 0 : 1
    const winner = 1 - loser
    const winnerProvider = [pa, pb][winner]!
    await waitSynced(winnerProvider)
    await a.idle()
    await b.idle()
    expect(closes[winner]).not.toContain(CLOSE_CODES.forbidden)
    const owners = queryStored<{ user_id: string }>(
      server.dbFile,
      'SELECT user_id FROM client_bindings WHERE doc_name = ? AND client_id = ?',
      [projectId, CLIENT],
    )
    expect(owners).toEqual([{ user_id: [ann.id, bob.id][winner] }])
  })

  it('rate limits count alike on every node: password guesses and project creation', async () => {
    const { a, b, ann } = await twoNodeWorld({
      env: { TASKFLOW_LOGIN_FREE_FAILURES: '1', TASKFLOW_PROJECTS_PER_HOUR: '2' },
    })
    const wrong = { email: ann.email, password: 'not the password' }
    expect((await json(a, 'POST', '/auth/login', undefined, wrong)).status).toBe(401)
    // The failure on node A makes node B wait before even checking the password.
    const right = { email: ann.email, password: 'correct horse battery' }
    const refused = await fetch(`${b.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(right),
    })
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    // Ann made "Launch" on node A; one more anywhere, then none.
    expect((await json(b, 'POST', '/projects', ann.token, { name: 'Two' })).status).toBe(201)
    expect((await json(a, 'POST', '/projects', ann.token, { name: 'Three' })).status).toBe(429)
    expect((await json(b, 'POST', '/projects', ann.token, { name: 'Four' })).status).toBe(429)
  })

  it('a notification made on node A reaches the stream open on node B, and sign-out on A ends it', async () => {
    const { a, b, ann, bob } = await twoNodeWorld()
    try {
      const s = await stream(b, bob.token)
      const p = await json(a, 'POST', '/projects', ann.token, { name: 'Second' })
      expect(p.status).toBe(201)
      const added = await json(a, 'POST', `/projects/${p.body.id}/members`, ann.token, {
        email: bob.email,
        role: 'member',
      })
      expect(added.status).toBe(201)
      const n = await s.next((e) => e.event === 'notification', 'the notification on node B')
      expect(n.data).toMatchObject({ kind: 'added', projectId: p.body.id })
      expect((await json(a, 'POST', '/auth/logout', bob.token)).status).toBe(204)
      await s.untilEnded('the stream on node B ends with its session')
    } finally {
      for (const s of streams.splice(0)) await s.close()
    }
  })
})
