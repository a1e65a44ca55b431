import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createTask, getBoardView } from '@taskflow/board'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { configReference } from '../src/config-doc.js'
import { waitFor } from '../src/sync/sync-test-utils.js'
import { client, json, ok, relayed, signUp } from '../src/test/collab.js'
import { buildRelease, type Release } from './build-release.js'

// The release bundle as an operator gets it: built once for this file, unpacked into an
// empty folder outside the checkout, run by its launcher with nothing but Node on PATH.

let work: string
let release: Release
let bundle: string
/** PATH for the launcher: a folder holding only a `node` link (no pnpm, npm, tsx, git). */
let nodeOnly: string

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'taskflow-release-test-'))
  release = await buildRelease({ outDir: join(work, 'out'), log: () => {} })
  const unpacked = join(work, 'unpacked')
  mkdirSync(unpacked)
  const tar = spawnSync('tar', ['-xzf', release.tarball, '-C', unpacked], { encoding: 'utf8' })
  expect(tar.stderr).toBe('')
  bundle = join(unpacked, release.folder)
  nodeOnly = join(work, 'bin')
  mkdirSync(nodeOnly)
  symlinkSync(process.execPath, join(nodeOnly, 'node'))
}, 300_000)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
})

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f))
}

/** The environment an operator would give it: nothing from this test process or pnpm. */
function operatorEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: nodeOnly, HOME: work, LANG: 'C', ...extra }
}

function launch(cwd: string, env: Record<string, string>) {
  const child = spawn(join(bundle, 'taskflow'), ['start'], {
    cwd,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  children.push(child)
  let log = ''
  const port = new Promise<number>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      const m = /"msg":"listening","port":(\d+)/.exec(log)
      if (m) resolve(Number(m[1]))
    })
    child.once('exit', (code) => reject(new Error(`taskflow start exited (${code}): ${log}`)))
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { child, port, exited, log: () => log }
}

describe('release bundle (pnpm release)', () => {
  it('is one tarball named for version and platform, holding the server, app, launcher and docs, and no source', () => {
    expect(release.tarball).toMatch(
      new RegExp(`/taskflow-${release.version}-linux-x64-node20\\.tar\\.gz$`),
    )
    expect(readdirSync(bundle).sort()).toEqual(
      [
        'CONFIGURATION.md',
        'README.md',
        'VERSION',
        'app',
        'node_modules',
        'package.json',
        'sync-server',
        'taskflow',
        'taskflow.service',
      ].sort(),
    )
    expect(statSync(join(bundle, 'taskflow')).mode & 0o111).toBe(0o111)
    expect(existsSync(join(bundle, 'app', 'dist', 'index.html'))).toBe(true)
    // The worker threads' entries, loaded from next to the server code.
    for (const worker of ['fold-worker.js', 'compaction-worker.mjs']) {
      expect(existsSync(join(bundle, 'sync-server', 'dist', worker)), worker).toBe(true)
    }
    expect(readFileSync(join(bundle, 'VERSION'), 'utf8').split('\n')[0]).toBe(release.version)
    const files = filesUnder(bundle)
    expect(files.filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))).toEqual([])
    // Nothing points back into the checkout or pnpm's store.
    expect(files.filter((f) => lstatSync(f).isSymbolicLink())).toEqual([])
    // Native modules come compiled: the .node files, not their C sources or build tree.
    expect(files.filter((f) => f.endsWith('.node')).map((f) => f.slice(bundle.length))).toEqual(
      expect.arrayContaining([
        '/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
        '/node_modules/@node-rs/argon2-linux-x64-gnu/argon2.linux-x64-gnu.node',
        '/node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node',
      ]),
    )
    expect(files.some((f) => /\.(c|cc|cpp|o|a)$/.test(f))).toBe(false)
  })

  it('CONFIGURATION.md is the reference config-doc generates from config.ts', () => {
    const doc = readFileSync(join(bundle, 'CONFIGURATION.md'), 'utf8')
    expect(doc).toBe(configReference())
    expect(doc).toContain('| `TASKFLOW_DB` | `./data/taskflow.db` |')
  })

  it('starts with only Node, outside the checkout: health, app, sign-up, a sync round trip, backup, graceful stop', async () => {
    // Nothing above the unpacked bundle or the working folder could lend it packages.
    const run = join(work, 'run')
    mkdirSync(run)
    for (let d = dirname(bundle); d !== dirname(d); d = dirname(d)) {
      expect(existsSync(join(d, 'node_modules')), `${d}/node_modules`).toBe(false)
    }
    const env = operatorEnv({
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      // Relative: read from the folder it was started in.
      TASKFLOW_DB: 'data/taskflow.db',
      TASKFLOW_PUBLIC_URL: 'http://127.0.0.1',
      TASKFLOW_METRICS: '1',
    })
    const started = launch(run, env)
    const port = await started.port
    const server = {
      url: `http://127.0.0.1:${port}`,
      syncUrl: `ws://127.0.0.1:${port}/sync`,
      dbFile: join(run, 'data', 'taskflow.db'),
    }
    expect(existsSync(join(run, 'data', 'taskflow.db'))).toBe(true)

    const health = await fetch(`${server.url}/healthz`)
    expect(health.status).toBe(200)
    // The web app of the bundle, found by the launcher.
    const page = await fetch(`${server.url}/projects`)
    expect(page.status).toBe(200)
    expect(await page.text()).toBe(readFileSync(join(bundle, 'app', 'dist', 'index.html'), 'utf8'))

    // The first account of an empty instance is signed in at once and is its admin.
    const ann = await signUp(server, 'ann')
    const admin = await json(server, 'GET', '/admin/health', ann.token)
    expect(admin.status).toBe(200)
    expect(admin.body.version).toBe(release.version)
    const metrics = await fetch(`${server.url}/metrics`)
    expect(await metrics.text()).toContain('taskflow_sync_connections')

    const created = await json(server, 'POST', '/projects', ann.token, { name: 'Launch' })
    expect(created.status).toBe(201)
    const projectId: string = created.body.id
    const a = await client(server, projectId, ann)
    const b = await client(server, projectId, ann)
    const columnId = getBoardView(a.doc).columns[0]!.id
    ok(createTask(a.doc, { columnId, title: 'Shipped from the bundle' }, { userId: ann.id }))
    await relayed(a.doc, b.doc)
    const titles = () => getBoardView(b.doc).columns.flatMap((c) => c.tasks.map((t) => t.title))
    await waitFor(() => titles().includes('Shipped from the bundle'), 'task on the other client')

    // The launcher's CLI on the running server's database (the same relative TASKFLOW_DB).
    const backup = spawnSync(join(bundle, 'taskflow'), ['backup', 'nightly.db'], {
      cwd: run,
      env,
      encoding: 'utf8',
    })
    expect(backup.stderr).toBe('')
    expect(backup.status).toBe(0)
    expect(backup.stdout).toMatch(/: 1 projects, 1 documents, [1-9]\d* logged updates/)
    const verify = spawnSync(join(bundle, 'taskflow'), ['verify', join(run, 'nightly.db')], {
      cwd: work,
      env: operatorEnv(),
      encoding: 'utf8',
    })
    expect(verify.stdout).toMatch(/nightly\.db is valid: 1 projects/)

    a.destroy()
    b.destroy()
    started.child.kill('SIGTERM')
    expect(await started.exited).toBe(0)
    expect(started.log()).toContain('"msg":"shutting down","signal":"SIGTERM"')
  })

  it('names the Node it needs instead of failing inside a native module', () => {
    const other = join(work, 'node22')
    mkdirSync(other)
    writeFileSync(join(other, 'node'), '#!/bin/sh\necho 127\n', { mode: 0o755 })
    const r = spawnSync(join(bundle, 'taskflow'), ['start'], {
      cwd: work,
      env: operatorEnv({ PATH: other }),
      encoding: 'utf8',
    })
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/built for Node 20 \(ABI \d+\), but 'node' is 127 \(ABI 127\)/)

    const usage = spawnSync(join(bundle, 'taskflow'), [], { env: operatorEnv(), encoding: 'utf8' })
    expect(usage.status).toBe(2)
    expect(usage.stderr).toContain('usage: taskflow start | backup <file>')
  })
})
