// What every app benchmark shares (board-open, views, search): the real sync server serving
// the benchmark build, one account with one project, and headless Chromium with a persistent
// profile (IndexedDB on disk, as in a real browser) whose pages start with the bench probe.
//
// The benchmark build is `vite build --mode bench` (dist-bench/): the product build has no
// bench hooks (src/bench/bench-hooks.ts, loaded by main.tsx only in that mode).
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'

export const APP_DIR =
  process.env.APP_DIR ?? fileURLToPath(new URL('../dist-bench', import.meta.url))
const SERVER_SRC = new URL('../../sync-server/src/', import.meta.url)

/**
 * Starts the server (TypeScript run from source, as the e2e tests do; tsx comes with the
 * server), signs up, creates a project and opens the browser. `name` names the temp dir.
 */
export async function openBench(name) {
  const requireFromServer = createRequire(new URL('../package.json', SERVER_SRC))
  const tsxDir = dirname(requireFromServer.resolve('tsx/package.json'))
  const { register } = await import(pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href)
  register()
  const { parseConfig } = await import(new URL('config.ts', SERVER_SRC).href)
  const { startServer } = await import(new URL('server.ts', SERVER_SRC).href)

  const tmp = mkdtempSync(join(tmpdir(), `taskflow-${name}-bench-`))
  const server = await startServer(
    parseConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      TASKFLOW_DB: join(tmp, 'taskflow.db'),
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      TASKFLOW_APP_DIR: APP_DIR,
    }),
  )

  async function api(path, token, body) {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method: body ? 'POST' : 'GET',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    })
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }

  const account = await api('/auth/register', null, {
    name: 'Bench',
    email: `bench-${Date.now().toString(36)}@example.org`,
    password: 'correct horse battery',
  })
  const project = await api('/projects', account.token, { name: 'Big board', description: '' })

  const context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    headless: true,
    viewport: { width: 1280, height: 800 },
    serviceWorkers: 'block',
  })
  await context.addInitScript(installProbe, JSON.stringify(account))

  return {
    server,
    api,
    account,
    project,
    boardUrl: `${server.url}/projects/${project.id}`,
    context,
    async close() {
      await context.close()
      await server.close()
      rmSync(tmp, { recursive: true, force: true })
    },
  }
}

/**
 * Runs in every page before the app: the session, the probe the benchmark build's hooks
 * fill (`window.__taskflowBench`: render counts, the open board), long tasks, and React's
 * DevTools hook, which React calls after every commit, production build included (commit
 * times here; the bench hooks count renders from it).
 */
function installProbe(session) {
  if (!localStorage.getItem('taskflow.session')) localStorage.setItem('taskflow.session', session)
  const probe = { renders: {}, commits: [], longTasks: [] }
  window.__taskflowBench = probe
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    renderers: new Map(),
    inject: () => 1,
    onCommitFiberRoot: () => probe.commits.push(performance.now()),
    onCommitFiberUnmount: () => {},
    onPostCommitFiberRoot: () => {},
    checkDCE: () => {},
  }
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longTasks.push([e.startTime, e.duration])
  }).observe({ type: 'longtask', buffered: true })
}
