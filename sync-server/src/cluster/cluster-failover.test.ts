import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import {
  connectProvider,
  storedDoc,
  tempDir,
  waitFor,
  waitSynced,
} from '../sync/sync-test-utils.js'
import { spawnServer } from '../test/spawn-server.js'
import { clusterEnv, startNodes } from './cluster-test-utils.js'

const KEYS_PER_CLIENT = 120

/**
 * A client that writes a burst of tasks, one per turn, and remembers every task it ever
 * saw (its own and relayed ones): what "an update a client saw" means below.
 */
function burstingClient(provider: WebsocketProvider, name: string) {
  const seen = new Set<string>()
  const tasks = provider.doc.getMap('tasks')
  tasks.observe((e) => {
    for (const key of e.keysChanged) seen.add(key)
  })
  let written = 0
  const done = (async () => {
    for (; written < KEYS_PER_CLIENT; written++) {
      tasks.set(`${name}-${written}`, written)
      seen.add(`${name}-${written}`)
      await new Promise((r) => setTimeout(r, 0))
    }
  })()
  return { provider, seen, done, written: () => written }
}

/** Moves a client whose node went away to another node, keeping its document. */
function moveTo(provider: WebsocketProvider, node: { syncUrl: string }): WebsocketProvider {
  const doc = provider.doc
  provider.destroy()
  return connectProvider(node, provider.roomname, { doc })
}

function allKeys(...sets: Set<string>[]): string[] {
  const all = new Set<string>()
  for (const s of sets) for (const k of s) all.add(k)
  return [...all].sort()
}

const keysOf = (doc: Y.Doc) => [...doc.getMap('tasks').keys()].sort()

describe('failover between nodes (Done when of issue 17)', () => {
  it('3 node processes: SIGKILL one mid-burst, its clients move to the others, nothing any client saw is lost and all converge', async () => {
    const dir = tempDir()
    const dbFile = join(dir, 'taskflow.db')
    const env = clusterEnv()
    const first = await spawnServer(dbFile, env)
    const nodes = [
      first,
      ...(await Promise.all([spawnServer(dbFile, env), spawnServer(dbFile, env)])),
    ]
    const providers = nodes.flatMap((n) => [
      connectProvider(n, 'board-kill'),
      connectProvider(n, 'board-kill'),
    ])
    await Promise.all(providers.map((p) => waitSynced(p)))
    const clients = providers.map((p, i) => burstingClient(p, `c${i}`))
    // Mid-burst: some of everyone's updates are through, more are coming.
    await waitFor(
      () => clients.every((c) => c.written() >= KEYS_PER_CLIENT / 3),
      'a third of the burst written',
    )
    const killed = nodes[2]!
    killed.child.kill('SIGKILL')
    await new Promise((r) => killed.child.once('exit', r))
    // One of its clients reconnects to another node (as a load balancer would send it);
    // the other is gone for good (a closed laptop): only what others saw of it must stay.
    const moved = moveTo(clients[4]!.provider, nodes[0]!)
    clients[5]!.provider.destroy()
    const survivors = clients.slice(0, 5)
    await Promise.all(clients.map((c) => c.done))
    await waitSynced(moved)
    const everything = allKeys(...survivors.map((c) => c.seen))
    const fromGone = everything.filter((k) => k.startsWith('c5-'))
    expect(everything.length).toBe(5 * KEYS_PER_CLIENT + fromGone.length)
    // Relayed before the kill, so stored before the kill (persist before relay).
    expect(fromGone.length).toBeGreaterThan(0)
    const docs = survivors.map((c) => c.provider.doc)
    await waitFor(
      () => docs.every((d) => d.getMap('tasks').size === everything.length),
      'every client has every task any client saw',
      30_000,
    )
    for (const d of docs) expect(keysOf(d)).toEqual(everything)
    // And the database holds exactly that: a node started later serves it.
    await waitFor(
      () => keysOf(storedDoc(dbFile, 'board-kill').doc).length === everything.length,
      'stored',
    )
    expect(keysOf(storedDoc(dbFile, 'board-kill').doc)).toEqual(everything)
  })

  it('restarting Redis mid-burst loses nothing: the nodes read what pub/sub dropped from the database', async () => {
    const redis = await startOwnRedis()
    const [a, b] = await startNodes(2, {
      env: { TASKFLOW_REDIS_URL: `redis://127.0.0.1:${redis.port}` },
    })
    const providers = [connectProvider(a!, 'board-redis'), connectProvider(b!, 'board-redis')]
    await Promise.all(providers.map((p) => waitSynced(p)))
    const clients = providers.map((p, i) => burstingClient(p, `c${i}`))
    await waitFor(() => clients.every((c) => c.written() >= KEYS_PER_CLIENT / 3), 'a third written')
    await redis.stop()
    // The load balancer's check names what is down; the node itself stays alive.
    const down = await fetch(`${a!.url}/readyz`)
    expect(down.status).toBe(503)
    expect(await down.json()).toMatchObject({ status: 'unavailable', down: ['redis'] })
    expect((await fetch(`${a!.url}/healthz`)).status).toBe(200)
    await waitFor(
      () => clients.every((c) => c.written() >= (2 * KEYS_PER_CLIENT) / 3),
      'two thirds',
    )
    await redis.start()
    await Promise.all(clients.map((c) => c.done))
    const everything = allKeys(...clients.map((c) => c.seen))
    expect(everything.length).toBe(2 * KEYS_PER_CLIENT)
    await waitFor(
      () => providers.every((p) => p.doc.getMap('tasks').size === everything.length),
      'both clients have every task',
    )
    const ready = await fetch(`${a!.url}/readyz`)
    expect(await ready.json()).toEqual({ status: 'ok', checks: { database: true, redis: true } })
    // Pub/sub works again: a new update crosses at once.
    providers[0]!.doc.getText('notes').insert(0, 'after the restart')
    await waitFor(
      () => providers[1]!.doc.getText('notes').toString() === 'after the restart',
      'relayed after the restart',
    )
  })
})

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
      c.kill('SIGKILL')
      if (c.exitCode === null) await new Promise((r) => c.once('exit', r))
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
