import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { connectProvider, storedDoc, waitFor, waitSynced } from '../sync/sync-test-utils.js'
import { createTestSchema, type TestSchema } from '../test/postgres.js'
import { type SpawnedServer, spawnServer } from '../test/spawn-server.js'
import { clusterEnv } from './cluster-test-utils.js'

/**
 * The "Done when" of issue 17: node processes on Postgres + Redis, as in production. Each
 * test has its own Postgres schema and Redis prefix (or its own redis-server), so it runs in
 * the sqlite vitest project alongside everything else. No step waits a fixed time: every
 * wait is on something a client or the database shows. The per-test limit only catches
 * hangs; three tsx processes starting on a loaded 2-core machine can take a while.
 */
const HANG_MS = 240_000
const CONVERGE_MS = 90_000

/** Tasks each client writes after the event the burst must straddle (kill, Redis restart). */
const AFTER_EVENT = 40
/** Tasks each client writes before the event may happen. */
const BEFORE_EVENT = 40

/**
 * A client that writes tasks one per turn, without waiting for any acknowledgement, and
 * remembers every task it ever saw (its own and relayed ones): what "an update a client saw"
 * means below. The burst straddles the event: it keeps going until `AFTER_EVENT` tasks were
 * written after `event()` was called, however fast or slow the machine runs.
 */
function burstingClient(provider: WebsocketProvider, name: string) {
  const seen = new Set<string>()
  /** Clients whose tasks reached this one. */
  const senders = new Set<string>()
  const own: string[] = []
  const tasks = provider.doc.getMap('tasks')
  tasks.observe((e) => {
    for (const key of e.keysChanged) {
      seen.add(key)
      senders.add(key.slice(0, key.indexOf('-')))
    }
  })
  let eventAt: number | null = null
  const client = {
    provider,
    seen,
    own,
    done: Promise.resolve(),
    written: () => own.length,
    /** Whether this client saw a task of the client named `other`. */
    sawFrom: (other: string) => senders.has(other),
    event: () => {
      eventAt = own.length
    },
  }
  client.done = (async () => {
    for (let i = 0; eventAt === null || own.length < eventAt + AFTER_EVENT; i++) {
      const key = `${name}-${i}`
      tasks.set(key, i)
      seen.add(key)
      own.push(key)
      await new Promise((r) => setImmediate(r))
    }
  })()
  return client
}

type Client = ReturnType<typeof burstingClient>

/** Moves a client whose node went away to another node, keeping its document. */
function moveTo(client: Client, node: { syncUrl: string }): WebsocketProvider {
  const old = client.provider
  const doc = old.doc
  old.destroy()
  client.provider = connectProvider(node, old.roomname, { doc })
  return client.provider
}

function union(...sets: Iterable<string>[]): string[] {
  const all = new Set<string>()
  for (const s of sets) for (const k of s) all.add(k)
  return [...all].sort()
}

const keysOf = (doc: Y.Doc) => [...doc.getMap('tasks').keys()].sort()

const schemas: TestSchema[] = []
afterEach(async () => {
  for (const s of schemas.splice(0)) await s.drop()
})

/** `n` node processes on a fresh Postgres schema; the first migrates it before the others start. */
async function startPostgresNodes(
  n: number,
  env: Record<string, string>,
): Promise<{ nodes: SpawnedServer[]; dbUrl: string }> {
  const schema = await createTestSchema()
  schemas.push(schema)
  const first = await spawnServer(schema.url, env)
  const rest = await Promise.all(Array.from({ length: n - 1 }, () => spawnServer(schema.url, env)))
  return { nodes: [first, ...rest], dbUrl: schema.url }
}

/** Two clients of `docName` on each node, synced. */
async function clientsOn(nodes: SpawnedServer[], docName: string): Promise<Client[]> {
  const providers = nodes.flatMap((n) => [connectProvider(n, docName), connectProvider(n, docName)])
  await Promise.all(providers.map((p) => waitSynced(p, CONVERGE_MS)))
  return providers.map((p, i) => burstingClient(p, `c${i}`))
}

/** Every client wrote its first part and saw tasks of every other client: updates cross nodes. */
function midBurst(clients: Client[]): Promise<void> {
  return waitFor(
    () =>
      clients.every(
        (c, i) =>
          c.written() >= BEFORE_EVENT && clients.every((_, j) => i === j || c.sawFrom(`c${j}`)),
      ),
    'the first part of the burst written and relayed to every client',
    CONVERGE_MS,
  )
}

/**
 * Every task any client saw (and every task each client wrote) is in every client's document
 * and in the database, and all clients hold the same tasks.
 */
async function expectConverged(clients: Client[], dbUrl: string, docName: string) {
  const everything = union(...clients.map((c) => c.seen))
  // Nobody lost a task of their own: each wrote them into its document, which reconnects.
  expect(everything).toEqual(union(everything, ...clients.map((c) => c.own)))
  await waitFor(
    () => clients.every((c) => c.provider.doc.getMap('tasks').size >= everything.length),
    'every client has every task any client saw',
    CONVERGE_MS,
  )
  for (const c of clients) expect(keysOf(c.provider.doc)).toEqual(everything)
  // Persist before relay: whatever reached a client is stored; a node started later serves it.
  expect(keysOf(storedDoc(dbUrl, docName).doc)).toEqual(everything)
}

describe('failover between node processes on Postgres + Redis (Done when of issue 17)', () => {
  it(
    '3 nodes: SIGKILL one mid-burst, its clients move to the others, nothing any client saw is lost and all converge',
    async () => {
      const { nodes, dbUrl } = await startPostgresNodes(3, clusterEnv())
      const clients = await clientsOn(nodes, 'board-kill')
      // Everyone's updates are crossing nodes when the node dies.
      await midBurst(clients)
      const killed = nodes[2]!
      const exited = new Promise((r) => killed.child.once('exit', r))
      killed.child.kill('SIGKILL')
      for (const c of clients) c.event()
      await exited
      // Its clients come back through the load balancer, on the surviving nodes.
      moveTo(clients[4]!, nodes[0]!)
      moveTo(clients[5]!, nodes[1]!)
      await Promise.all(clients.map((c) => c.done))
      await Promise.all(clients.map((c) => waitSynced(c.provider, CONVERGE_MS)))
      await expectConverged(clients, dbUrl, 'board-kill')
    },
    HANG_MS,
  )

  it(
    '3 nodes: restarting Redis mid-burst loses nothing: the nodes read what pub/sub dropped from the database',
    async () => {
      const redis = await startOwnRedis()
      const { nodes, dbUrl } = await startPostgresNodes(3, {
        ...clusterEnv(),
        TASKFLOW_REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      })
      const clients = await clientsOn(nodes, 'board-redis')
      await midBurst(clients)
      await redis.stop()
      for (const c of clients) c.event()
      // The load balancer's check names what is down; the node itself stays alive.
      const down = await fetch(`${nodes[0]!.url}/readyz`)
      expect(down.status).toBe(503)
      expect(await down.json()).toMatchObject({ status: 'unavailable', down: ['redis'] })
      expect((await fetch(`${nodes[0]!.url}/healthz`)).status).toBe(200)
      await redis.start()
      await Promise.all(clients.map((c) => c.done))
      await expectConverged(clients, dbUrl, 'board-redis')
      await waitFor(() => nodesReady(nodes), 'every node ready again', CONVERGE_MS)
      // Pub/sub works again: a new update crosses to a client of every other node.
      clients[0]!.provider.doc.getText('notes').insert(0, 'after the restart')
      await waitFor(
        () =>
          clients.every((c) => c.provider.doc.getText('notes').toString() === 'after the restart'),
        'relayed after the restart',
        CONVERGE_MS,
      )
    },
    HANG_MS,
  )
})

let readiness: boolean[] = []
/** Polled by waitFor: asks each node's /readyz in the background, answers from the last replies. */
function nodesReady(nodes: SpawnedServer[]): boolean {
  void Promise.all(
    nodes.map((n) =>
      fetch(`${n.url}/readyz`)
        .then((r) => r.ok)
        .catch(() => false),
    ),
  ).then((r) => {
    readiness = r
  })
  return readiness.length === nodes.length && readiness.every(Boolean)
}

const redisChildren: ChildProcess[] = []
afterEach(() => {
  for (const c of redisChildren.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
})

/** A redis-server of this test's own on a free port, so the shared one is never disturbed. */
async function startOwnRedis() {
  const port = await freePort()
  let child: ChildProcess | null = null
  const start = async () => {
    const c = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    )
    child = c
    redisChildren.push(c)
    await new Promise<void>((resolve, reject) => {
      let out = ''
      c.stdout!.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('Ready to accept connections')) resolve()
      })
      c.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)))
    })
  }
  await start()
  return {
    port,
    start,
    async stop() {
      const c = child!
      const exited = new Promise((r) => c.once('exit', r))
      c.kill('SIGKILL')
      if (c.exitCode === null) await exited
    },
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
    srv.once('error', reject)
  })
}
