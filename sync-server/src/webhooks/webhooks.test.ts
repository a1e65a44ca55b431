import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WEBHOOK_EVENTS } from '@taskflow/api'
import {
  addComment,
  createTask,
  deleteTask,
  getBoardView,
  moveTask,
  updateTask,
} from '@taskflow/board'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it } from 'vitest'
import type { ServerDeps } from '../server.js'
import { client, clockAt, json, ok, relayed, signUp, startCollabServer } from '../test/collab.js'
import type { Lookup } from './ssrf.js'

/** A real HTTP endpoint on 127.0.0.1: records what arrives and answers from a script. */
interface Received {
  headers: IncomingHttpHeaders
  body: string
}

async function startReceiver(answer: (n: number) => number = () => 204) {
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.statusCode = answer(received.length)
      res.end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  afterEach(() => {
    // The server's kept-alive connections would hold close() until they time out.
    server.closeAllConnections()
    return new Promise<void>((r) => server.close(() => r()))
  })
  return { received, port, url: `http://127.0.0.1:${port}/hook` }
}

/** Checks one request with the independent Standard Webhooks library; returns its body. */
function verified(secret: string, r: Received): { type: string; timestamp: string; data: any } {
  const headers = {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  }
  return new Webhook(secret).verify(r.body, headers) as any
}

/**
 * A real server on an injected clock that starts at the wall clock (receivers check the
 * signed timestamp against it: Standard Webhooks allows 5 minutes), an owner and a member.
 */
async function webhookWorld(opts: { env?: Record<string, string>; deps?: ServerDeps } = {}) {
  const clock = clockAt(Date.now())
  const server = await startCollabServer(clock, {
    env: { TASKFLOW_WEBHOOK_ALLOW_PRIVATE: '1', ...opts.env },
    deps: opts.deps,
  })
  const ann = await signUp(server, 'ann')
  const bob = await signUp(server, 'bob')
  const created = await json(server, 'POST', '/projects', ann.token, { name: 'Launch' })
  expect(created.status).toBe(201)
  const projectId: string = created.body.id
  const hooks = `/projects/${projectId}/webhooks`
  const addHook = async (url: string, events: readonly string[] = WEBHOOK_EVENTS) => {
    const r = await json(server, 'POST', hooks, ann.token, { url, events })
    expect(r.status, JSON.stringify(r.body)).toBe(201)
    return r.body as { id: string; secret: string }
  }
  const deliveries = async (hookId: string) => {
    const r = await json(server, 'GET', `${hooks}/${hookId}/deliveries`, ann.token)
    expect(r.status).toBe(200)
    return r.body.deliveries as any[]
  }
  return { clock, server, ann, bob, projectId, hooks, addHook, deliveries }
}

describe('webhooks', () => {
  it('delivers task and comment events of real sync edits, signed so Standard Webhooks verifies them, once each', async () => {
    const w = await webhookWorld()
    const receiver = await startReceiver()
    const hook = await w.addHook(receiver.url)
    expect(hook.secret).toMatch(/^whsec_/)

    const a = await client(w.server, w.projectId, w.ann)
    // A second client: once it shows an edit, the server has committed it.
    const b = await client(w.server, w.projectId, w.ann)
    const [todo, doing, done] = getBoardView(a.doc).columns.map((c) => c.id) as [
      string,
      string,
      string,
    ]
    const step = async (edit: () => void) => {
      edit()
      await relayed(a.doc, b.doc)
      await w.server.idle()
    }
    let id = ''
    await step(() => {
      id = ok(createTask(a.doc, { columnId: todo, title: 'Ship it' }, { userId: w.ann.id })).id
    })
    await step(() => ok(moveTask(a.doc, id, { columnId: doing })))
    await step(() => ok(updateTask(a.doc, id, { title: 'Ship it now', priority: 'high' })))
    await step(() => ok(addComment(a.doc, id, { body: 'On it' }, { userId: w.ann.id })))
    await step(() => ok(moveTask(a.doc, id, { columnId: done })))
    await step(() => ok(deleteTask(a.doc, id)))

    const bodies = receiver.received.map((r) => verified(hook.secret, r))
    expect(bodies.map((b) => b.type).sort()).toEqual(
      [
        'task.created',
        'task.moved',
        'task.updated',
        'comment.created',
        'task.moved',
        'task.completed',
        'task.deleted',
      ].sort(),
    )
    const of = (type: string) => bodies.filter((b) => b.type === type)
    expect(of('task.created')[0]!.data).toMatchObject({
      projectId: w.projectId,
      taskId: id,
      title: 'Ship it',
      columnId: todo,
      columnName: 'To do',
      actorId: w.ann.id,
    })
    expect(of('task.moved').map((b) => [b.data.fromColumnId, b.data.toColumnId])).toEqual(
      expect.arrayContaining([
        [todo, doing],
        [doing, done],
      ]),
    )
    expect(of('task.updated')[0]!.data.changes).toEqual({
      title: { from: 'Ship it', to: 'Ship it now' },
      priority: { from: 'none', to: 'high' },
    })
    expect(of('comment.created')[0]!.data).toMatchObject({ taskId: id, excerpt: 'On it' })
    expect(of('task.completed')[0]!.data).toMatchObject({ taskId: id, columnName: 'Done' })
    expect(of('task.deleted')[0]!.data).toMatchObject({ taskId: id, title: 'Ship it now' })
    for (const b of bodies) expect(Date.parse(b.timestamp)).not.toBeNaN()
    // Each message has its own id; the log says each went out on the first try.
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(7)
    const log = await w.deliveries(hook.id)
    expect(log.map((d) => [d.status, d.attempts.length, d.attempts[0].responseStatus])).toEqual(
      Array(7).fill(['delivered', 1, 204]),
    )

    // A client reconnecting and resending, and a restart replaying the log, queue nothing new.
    a.destroy()
    const again = await client(w.server, w.projectId, w.ann)
    await relayed(again.doc, b.doc)
    await w.server.idle()
    again.destroy()
    b.destroy()
    expect(receiver.received).toHaveLength(7)
  })

  it('fires offline edits once when they arrive', async () => {
    const w = await webhookWorld()
    const receiver = await startReceiver()
    const hook = await w.addHook(receiver.url, ['task.created'])
    const a = await client(w.server, w.projectId, w.ann)
    const todo = getBoardView(a.doc).columns[0]!.id
    a.disconnect()
    ok(createTask(a.doc, { columnId: todo, title: 'Written on a plane' }, { userId: w.ann.id }))
    await w.server.idle()
    expect(receiver.received).toHaveLength(0)
    a.connect()
    const b = await client(w.server, w.projectId, w.ann)
    await relayed(a.doc, b.doc)
    await w.server.idle()
    expect(receiver.received.map((r) => verified(hook.secret, r).data.title)).toEqual([
      'Written on a plane',
    ])
    a.destroy()
    b.destroy()
  })

  it('retries a failing receiver on the backoff schedule until it answers, then stops', async () => {
    const w = await webhookWorld()
    // 500 three times, then OK.
    const receiver = await startReceiver((n) => (n <= 3 ? 500 : 200))
    const hook = await w.addHook(receiver.url, ['member.added'])
    const add = await json(
      w.server,
      'POST',
      `${w.hooks.replace('/webhooks', '')}/members`,
      w.ann.token,
      {
        email: w.bob.email,
        role: 'member',
      },
    )
    expect(add.status).toBe(201)
    await w.server.idle()
    expect(receiver.received).toHaveLength(1)
    // Not before its time: the first retry waits 5 s (±20 %).
    w.clock.advance(3_000)
    await w.server.idle()
    expect(receiver.received).toHaveLength(1)
    let [d] = await w.deliveries(hook.id)
    expect(d.status).toBe('pending')
    const wait = Date.parse(d.nextAttemptAt) - Date.parse(d.attempts[0].at)
    expect(wait).toBeGreaterThanOrEqual(4_000)
    expect(wait).toBeLessThanOrEqual(6_000)

    for (const [n, step] of [
      [2, 3_000 + 1_000],
      [3, 36_000],
      [4, 144_000],
    ] as const) {
      w.clock.advance(step)
      await w.server.idle()
      expect(receiver.received).toHaveLength(n)
    }
    // Delivered: nothing more, however long we wait.
    w.clock.advance(4 * 86_400_000)
    await w.server.idle()
    expect(receiver.received).toHaveLength(4)

    // Every try carried the same message, id and all, each signed validly.
    const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']))
    expect(ids.size).toBe(1)
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1)
    expect(verified(hook.secret, receiver.received[0]!).data).toMatchObject({
      projectId: w.projectId,
      userId: w.bob.id,
      role: 'member',
    })
    ;[d] = await w.deliveries(hook.id)
    expect(d.status).toBe('delivered')
    expect(d.nextAttemptAt).toBeNull()
    expect(d.messageId).toBe([...ids][0])
    expect(d.attempts.map((a: any) => [a.attempt, a.responseStatus])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
      [4, 200],
    ])
  })

  it('keeps pending deliveries across a restart and sends them then', async () => {
    const receiver = await startReceiver((n) => (n === 1 ? 503 : 204))
    const clock = clockAt(Date.now())
    const env = { TASKFLOW_WEBHOOK_ALLOW_PRIVATE: '1' }
    const first = await startCollabServer(clock, { env })
    const ann = await signUp(first, 'ann')
    const bob = await signUp(first, 'bob')
    const p = await json(first, 'POST', '/projects', ann.token, { name: 'Launch' })
    const r = await json(first, 'POST', `/projects/${p.body.id}/webhooks`, ann.token, {
      url: receiver.url,
      events: ['member.added', 'member.removed'],
    })
    await json(first, 'POST', `/projects/${p.body.id}/members`, ann.token, {
      email: bob.email,
      role: 'viewer',
    })
    await first.idle()
    expect(receiver.received).toHaveLength(1)
    await first.close()

    clock.advance(10_000)
    const second = await startCollabServer(clock, { env, dir: first.dir })
    await second.idle()
    expect(receiver.received).toHaveLength(2)
    expect(receiver.received[1]!.headers['webhook-id']).toBe(
      receiver.received[0]!.headers['webhook-id'],
    )
    expect(verified(r.body.secret, receiver.received[1]!).type).toBe('member.added')

    // Removal is an event too.
    const gone = await json(second, 'DELETE', `/projects/${p.body.id}/members/${bob.id}`, ann.token)
    expect(gone.status).toBe(204)
    await second.idle()
    expect(verified(r.body.secret, receiver.received[2]!)).toMatchObject({
      type: 'member.removed',
      data: { userId: bob.id },
    })

    // The log keeps finished deliveries 30 days.
    const log = `/projects/${p.body.id}/webhooks/${r.body.id}/deliveries`
    expect((await json(second, 'GET', log, ann.token)).body.deliveries).toHaveLength(2)
    await second.close()
    clock.advance(30 * 86_400_000 + 60_000)
    const third = await startCollabServer(clock, { env, dir: first.dir })
    await third.idle()
    // A month on, the session has expired too.
    const login = await json(third, 'POST', '/auth/login', undefined, {
      email: ann.email,
      password: 'correct horse battery',
    })
    expect((await json(third, 'GET', log, login.body.token)).body.deliveries).toEqual([])
  })

  it('disables an endpoint that answers 410 Gone and sends it nothing more', async () => {
    const w = await webhookWorld()
    const receiver = await startReceiver(() => 410)
    const hook = await w.addHook(receiver.url, ['task.created'])
    const a = await client(w.server, w.projectId, w.ann)
    const b = await client(w.server, w.projectId, w.ann)
    const todo = getBoardView(a.doc).columns[0]!.id
    ok(createTask(a.doc, { columnId: todo, title: 'One' }, { userId: w.ann.id }))
    await relayed(a.doc, b.doc)
    await w.server.idle()
    expect(receiver.received).toHaveLength(1)
    const list = await json(w.server, 'GET', w.hooks, w.ann.token)
    expect(list.body.webhooks[0]).toMatchObject({
      id: hook.id,
      enabled: false,
      disabledReason: expect.stringContaining('410'),
    })
    expect(list.body.webhooks[0]).not.toHaveProperty('secret')
    const [d] = await w.deliveries(hook.id)
    expect(d).toMatchObject({ status: 'failed', nextAttemptAt: null })

    ok(createTask(a.doc, { columnId: todo, title: 'Two' }, { userId: w.ann.id }))
    await relayed(a.doc, b.doc)
    w.clock.advance(86_400_000)
    await w.server.idle()
    expect(receiver.received).toHaveLength(1)
    a.destroy()
    b.destroy()
  })

  it('signs with both secrets for 24 hours after a rotation, and redelivers with the same id', async () => {
    const w = await webhookWorld()
    const receiver = await startReceiver()
    const hook = await w.addHook(receiver.url, ['member.added'])
    const rotated = await json(w.server, 'POST', `${w.hooks}/${hook.id}/rotate-secret`, w.ann.token)
    expect(rotated.status).toBe(200)
    expect(rotated.body.secret).not.toBe(hook.secret)
    await json(w.server, 'POST', `/projects/${w.projectId}/members`, w.ann.token, {
      email: w.bob.email,
      role: 'member',
    })
    await w.server.idle()
    const first = receiver.received[0]!
    expect(String(first.headers['webhook-signature']).split(' ')).toHaveLength(2)
    // Receivers on either secret accept it.
    expect(verified(hook.secret, first).type).toBe('member.added')
    expect(verified(rotated.body.secret, first).type).toBe('member.added')

    const [d] = await w.deliveries(hook.id)
    const again = await json(
      w.server,
      'POST',
      `${w.hooks}/${hook.id}/deliveries/${d.id}/redeliver`,
      w.ann.token,
    )
    expect(again.status).toBe(202)
    await w.server.idle()
    expect(receiver.received).toHaveLength(2)
    expect(receiver.received[1]!.headers['webhook-id']).toBe(first.headers['webhook-id'])
    const [after] = await w.deliveries(hook.id)
    expect(after.attempts.map((a: any) => a.responseStatus)).toEqual([204, 204])

    // A day later the old secret no longer signs.
    w.clock.advance(24 * 3_600_000 + 1)
    await json(w.server, 'POST', `${w.hooks}/${hook.id}/deliveries/${d.id}/redeliver`, w.ann.token)
    await w.server.idle()
    expect(String(receiver.received[2]!.headers['webhook-signature']).split(' ')).toHaveLength(1)
  })

  it('keeps at most TASKFLOW_WEBHOOK_CONCURRENCY deliveries in flight', async () => {
    const w = await webhookWorld({ env: { TASKFLOW_WEBHOOK_CONCURRENCY: '2' } })
    let open = 0
    let most = 0
    let served = 0
    const server = createServer((req, res) => {
      open++
      most = Math.max(most, open)
      req.resume()
      // A slow endpoint: answers 30 ms later, so unbounded sends would overlap.
      setTimeout(() => {
        open--
        served++
        res.end()
      }, 30)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    afterEach(() => {
      server.closeAllConnections()
      return new Promise<void>((r) => server.close(() => r()))
    })
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
    for (let i = 0; i < 6; i++) await w.addHook(url, ['member.added'])
    await json(w.server, 'POST', `/projects/${w.projectId}/members`, w.ann.token, {
      email: w.bob.email,
      role: 'member',
    })
    await w.server.idle()
    expect(served).toBe(6)
    expect(most).toBe(2)
  })

  it('manages endpoints: list without secrets, update, disable, delete', async () => {
    const w = await webhookWorld()
    const receiver = await startReceiver()
    const hook = await w.addHook(receiver.url, ['task.created'])
    const patched = await json(w.server, 'PATCH', `${w.hooks}/${hook.id}`, w.ann.token, {
      events: ['task.deleted', 'member.added'],
      description: 'CI',
      enabled: false,
    })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({
      events: ['task.deleted', 'member.added'],
      description: 'CI',
      enabled: false,
    })
    await json(w.server, 'POST', `/projects/${w.projectId}/members`, w.ann.token, {
      email: w.bob.email,
      role: 'member',
    })
    await w.server.idle()
    expect(receiver.received).toHaveLength(0)
    const del = await json(w.server, 'DELETE', `${w.hooks}/${hook.id}`, w.ann.token)
    expect(del.status).toBe(204)
    const list = await json(w.server, 'GET', w.hooks, w.ann.token)
    expect(list.body).toEqual({ webhooks: [] })
    const missing = await json(w.server, 'DELETE', `${w.hooks}/${hook.id}`, w.ann.token)
    expect(missing.status).toBe(404)
  })
})

describe('webhook SSRF protection', () => {
  it('refuses URLs that resolve to loopback, private, link-local or other internal addresses', async () => {
    const names: Record<string, string> = {
      'intranet.test': '10.1.2.3',
      'public.test': '93.184.216.34',
    }
    const lookup: Lookup = async (host) => {
      const address = names[host]
      if (!address) throw new Error('ENOTFOUND')
      return [{ address, family: 4 }]
    }
    const w = await webhookWorld({
      env: { TASKFLOW_WEBHOOK_ALLOW_PRIVATE: '0' },
      deps: { webhookLookup: lookup },
    })
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost.:8080/hook',
      'http://[::1]/hook',
      'http://10.0.0.5/hook',
      'http://172.16.0.1/hook',
      'http://192.168.1.1/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/hook',
      'http://0.0.0.0/hook',
      'http://224.0.0.1/hook',
      'http://[fd00::1]/hook',
      'http://[fe80::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://intranet.test/hook',
      'http://nowhere.test/hook',
    ]) {
      const r = await json(w.server, 'POST', w.hooks, w.ann.token, {
        url,
        events: ['task.created'],
      })
      expect(r.status, url).toBe(400)
      expect(r.body.error.message, url).toMatch(/Invalid url/)
    }
    expect((await json(w.server, 'GET', w.hooks, w.ann.token)).body.webhooks).toEqual([])
    const fine = await json(w.server, 'POST', w.hooks, w.ann.token, {
      url: 'https://public.test/hook',
      events: ['task.created'],
    })
    expect(fine.status).toBe(201)
    const moved = await json(w.server, 'PATCH', `${w.hooks}/${fine.body.id}`, w.ann.token, {
      url: 'http://intranet.test/hook',
    })
    expect(moved.status).toBe(400)
  })

  it('checks again at delivery: a name that now points inside is not contacted', async () => {
    const receiver = await startReceiver()
    let answer = '93.184.216.34'
    const lookup: Lookup = async () => [{ address: answer, family: 4 }]
    const w = await webhookWorld({
      env: { TASKFLOW_WEBHOOK_ALLOW_PRIVATE: '0' },
      deps: { webhookLookup: lookup },
    })
    const hook = await w.addHook(`http://rebind.test:${receiver.port}/hook`, ['member.added'])
    // DNS rebinding: the same name now resolves to the receiver on loopback.
    answer = '127.0.0.1'
    await json(w.server, 'POST', `/projects/${w.projectId}/members`, w.ann.token, {
      email: w.bob.email,
      role: 'member',
    })
    await w.server.idle()
    expect(receiver.received).toHaveLength(0)
    const [d] = await w.deliveries(hook.id)
    expect(d.status).toBe('pending')
    expect(d.attempts[0]).toMatchObject({
      responseStatus: null,
      error: expect.stringMatching(/refused.*127\.0\.0\.1/),
    })
  })
})
