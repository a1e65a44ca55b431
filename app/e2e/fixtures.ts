import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  type Browser,
  type BrowserContext,
  test as base,
  expect as baseExpect,
  type Page,
} from '@playwright/test'
import { BoardPage } from './page-models/board-page'

/** What the tests use of the sync-server's `startServer` (sync-server/src/server.ts). */
interface StartedServer {
  port: number
  url: string
  close: () => Promise<void>
}
interface ServerModules {
  parseConfig: (env: Record<string, string>) => unknown
  startServer: (
    config: unknown,
    logger?: undefined,
    deps?: { now: () => number; checkResponses?: (problem: string) => void },
  ) => Promise<StartedServer>
}

/** The spec's server: one address and database for the worker's life, stoppable in between. */
export interface RunningServer {
  port: number
  url: string
  /** Stops it as an operator would (graceful close): pages keep running, sockets drop. */
  stop: () => Promise<void>
  /** Starts it again on the same port with the same database. */
  start: () => Promise<void>
  /**
   * Moves the server's clock forward (it runs `ms` ahead of the wall clock) until the end
   * of the current test: the server is shared by the worker's spec files, and a later spec
   * must not see a clock that disagrees with its browser's.
   */
  advanceClock: (ms: number) => void
  /** Puts the server's clock back on the wall clock (after each test, automatically). */
  resetClock: () => void
  /** Its SQLite file (test setup that only SQL can do, e.g. promoting an admin). */
  dbFile: string
  /**
   * Answers of the server that broke the API contract of `@taskflow/api` (status not
   * documented for the route, body not matching its schema); each test fails on any.
   */
  contractViolations: string[]
  /** The text of the newest mail to `to` in the server's outbox (no SMTP in tests). */
  lastMailTo: (to: string) => string
  /**
   * The newest mail to `to` containing `text`, waited for: sign-up and reset mail is
   * written just after the server answers (so timing reveals no account), not before.
   */
  mailTo: (to: string, text: string) => Promise<string>
}

interface OutboxReader {
  prepare(sql: string): { get(...args: unknown[]): { text: string } | undefined }
  close(): void
}
/** better-sqlite3, resolved from the server's dependencies (the app does not depend on it). */
function openOutbox(dbPath: string): OutboxReader {
  const require = createRequire(new URL('../../sync-server/package.json', import.meta.url))
  const Database = require('better-sqlite3') as new (
    path: string,
    opts: { readonly: boolean },
  ) => OutboxReader
  return new Database(dbPath, { readonly: true })
}

function newestMail(dbPath: string, to: string): string | undefined {
  const db = openOutbox(dbPath)
  try {
    return db
      .prepare('select text from mail_outbox where to_address = ? order by id desc limit 1')
      .get(to)?.text
  } finally {
    db.close()
  }
}

/**
 * Signs up through the API as a person would: a 201 answer is signed in at once (the
 * instance's first account, or verification off); a 202 means opening the verification link
 * mailed to them. `from` is the client's address (X-Forwarded-For; the server trusts it).
 */
export async function registerAccount(
  server: Pick<RunningServer, 'url' | 'mailTo'>,
  body: { name: string; email: string; password: string },
  from?: string,
): Promise<Account> {
  const post = (path: string, payload: unknown) =>
    fetch(`${server.url}/api/v1${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(from ? { 'x-forwarded-for': from } : {}),
      },
      body: JSON.stringify(payload),
    })
  const res = await post('/auth/register', body)
  if (res.status === 201) return (await res.json()) as Account
  if (res.status !== 202) throw new Error(`register failed: ${res.status} ${await res.text()}`)
  const mail = await server.mailTo(body.email, '/verify-email/')
  const token = /\/verify-email\/([A-Za-z0-9_-]{43})/.exec(mail)?.[1]
  const verified = await post('/auth/verify-email', { token })
  if (!verified.ok) throw new Error(`verify failed: ${verified.status} ${await verified.text()}`)
  return (await verified.json()) as Account
}

/**
 * Test setup only: the real server, started in-process on port 0 with a temp database.
 * Imported by computed path so the app's typecheck does not compile the server's sources.
 */
export async function loadServer(): Promise<ServerModules> {
  const src = new URL('../../sync-server/src/', import.meta.url)
  const [config, server] = await Promise.all([
    import(new URL('config.ts', src).href),
    import(new URL('server.ts', src).href),
  ])
  return { parseConfig: config.parseConfig, startServer: server.startServer }
}

export const APP_DIR = fileURLToPath(new URL('../dist', import.meta.url))
export const ARTIFACTS_DIR = fileURLToPath(new URL('../test-results/screenshots', import.meta.url))
export const PASSWORD = 'correct horse battery'

export interface Account {
  user: { id: string; email: string; name: string }
  token: string
}

let counter = 0
/** A fresh address per call, unique across runs against one server. */
export function uniqueEmail(prefix: string): string {
  counter++
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.org`
}

interface Fixtures {
  /** Automatic: the server's clock is back on the wall clock around every test. */
  serverClock: undefined
  /** Automatic: fails a test during which the server answered outside the API contract. */
  apiContract: undefined
  /** Registers an account through the API (for teammates; the first user signs up in the UI). */
  register: (name: string) => Promise<Account>
  /** A new browser context already signed in as `account`. */
  signedInPage: (account: Account) => Promise<{ context: BrowserContext; page: Page }>
  /**
   * Two people on one project: `owner` creates it (through the API) and adds the teammate
   * with `role`; each gets a signed-in browser of their own. The boards are not opened yet,
   * so a spec decides what happens before each person arrives.
   */
  sharedBoards: (
    projectName: string,
    owner: string,
    teammate: { name: string; role: Role },
  ) => Promise<{
    projectId: string
    owner: BoardPage
    teammate: BoardPage
    /** Their accounts, for calls to the API as each of them. */
    accounts: { owner: Account; teammate: Account }
  }>
}

type Role = 'admin' | 'member' | 'viewer'

export const test = base.extend<Fixtures, { server: RunningServer }>({
  server: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take a destructured first argument
    async ({}, use) => {
      const { parseConfig, startServer } = await loadServer()
      const dir = mkdtempSync(join(tmpdir(), 'taskflow-e2e-'))
      const env = {
        PORT: '0',
        HOST: '127.0.0.1',
        TASKFLOW_DB: join(dir, 'taskflow.db'),
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        TASKFLOW_APP_DIR: APP_DIR,
        // Teammates registered through the API (`register`) each come from an address of
        // their own (X-Forwarded-For), as real people do: from one address the sign-up limit
        // (20 an hour) would cap how many specs one worker's server can run.
        TASKFLOW_TRUST_PROXY: '1',
        // As with SMTP_URL set, so the check-your-e-mail flows stay covered (the outbox is
        // the mailbox); signup-default.spec.ts runs the default, verification off.
        TASKFLOW_EMAIL_VERIFICATION: 'required',
        // Webhook receivers in specs listen on 127.0.0.1, which is refused by default (SSRF).
        TASKFLOW_WEBHOOK_ALLOW_PRIVATE: '1',
      }
      // The test's clock, injected as the server's one clock (SPEC 10.1).
      let skew = 0
      const contractViolations: string[] = []
      const deps = {
        now: () => Date.now() + skew,
        checkResponses: (problem: string) => contractViolations.push(problem),
      }
      let running: StartedServer | null = await startServer(parseConfig(env), undefined, deps)
      const { port, url } = running
      const server: RunningServer = {
        port,
        url,
        dbFile: env.TASKFLOW_DB,
        contractViolations,
        async stop() {
          await running?.close()
          running = null
        },
        async start() {
          if (running) return
          running = await startServer(parseConfig({ ...env, PORT: String(port) }), undefined, deps)
        },
        advanceClock(ms) {
          skew += ms
        },
        resetClock() {
          skew = 0
        },
        lastMailTo(to) {
          const text = newestMail(env.TASKFLOW_DB, to)
          if (text === undefined) throw new Error(`no mail to ${to}`)
          return text
        },
        async mailTo(to, text) {
          let found: string | undefined
          await baseExpect
            .poll(() => (found = newestMail(env.TASKFLOW_DB, to)), {
              message: `a mail to ${to} containing ${text}`,
            })
            .toContain(text)
          return found!
        },
      }
      await use(server)
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ server }, use) => use(server.url),
  // Every test starts and ends with the server on the wall clock (see advanceClock).
  serverClock: [
    async ({ server }, use) => {
      server.resetClock()
      await use(undefined)
      server.resetClock()
    },
    { auto: true },
  ],
  apiContract: [
    async ({ server }, use) => {
      server.contractViolations.length = 0
      await use(undefined)
      baseExpect(server.contractViolations, 'API answers outside the contract').toEqual([])
    },
    { auto: true },
  ],
  register: async ({ server }, use) => {
    await use((name) => {
      counter++
      // TEST-NET-2 (RFC 5737): never a real client.
      const from = `198.51.${Math.floor(counter / 250) % 250}.${(counter % 250) + 1}`
      return registerAccount(
        server,
        { name, email: uniqueEmail(name.toLowerCase()), password: PASSWORD },
        from,
      )
    })
  },
  signedInPage: async ({ browser, server }, use) => {
    const contexts: BrowserContext[] = []
    await use(async (account) => {
      const context = await newContext(browser, server.url)
      contexts.push(context)
      await context.addInitScript((session) => {
        if (!localStorage.getItem('taskflow.session')) {
          localStorage.setItem('taskflow.session', session)
        }
      }, JSON.stringify(account))
      return { context, page: await context.newPage() }
    })
    for (const c of contexts) await c.close()
  },
  sharedBoards: async ({ server, register, signedInPage }, use) => {
    await use(async (projectName, ownerName, teammate) => {
      const owner = await register(ownerName)
      const mate = await register(teammate.name)
      const projectId = await createSharedProject(server, owner, projectName, [
        { account: mate, role: teammate.role },
      ])
      return {
        projectId,
        owner: new BoardPage((await signedInPage(owner)).page),
        teammate: new BoardPage((await signedInPage(mate)).page),
        accounts: { owner, teammate: mate },
      }
    })
  },
})

/**
 * Waits until the service worker controls the page: its precache (the app shell and every
 * route's chunk) is complete from then on, so the app keeps working once the network goes
 * away. A test that goes offline and then opens a code-split route (a task panel, another
 * view) or reloads waits for this first; otherwise the chunk may not be cached yet, and the
 * router's reload on a failed chunk lands on the browser's offline page.
 */
export async function untilAvailableOffline(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
}

export function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } })
}

export { expect } from '@playwright/test'

/** Calls the REST API as `account`. */
export async function api<T = unknown>(
  server: RunningServer,
  account: Account,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${account.token}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  if (!res.ok) throw new Error(`${path} failed: ${res.status} ${await res.text()}`)
  return (res.status === 204 ? null : await res.json()) as T
}

/** Saves a screenshot under test-results/screenshots/ (gitignored artifacts). */
export async function saveScreenshot(
  page: Page,
  name: string,
  opts: { fullPage?: boolean } = {},
): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  const path = join(ARTIFACTS_DIR, `${name}.png`)
  await page.screenshot({ path, fullPage: opts.fullPage ?? false })
  return path
}

export const HERE = dirname(fileURLToPath(import.meta.url))

/** README's images (docs/screenshots/), refreshed by the browser tests that show each page. */
export const DOCS_SCREENSHOTS = join(HERE, '../../docs/screenshots')

/**
 * Copies screenshots this test saved (`saveScreenshot`) into docs/screenshots/ for README.
 * Call as a test's last step, so only a passing run replaces an image.
 */
export function publishScreenshots(...names: string[]): void {
  mkdirSync(DOCS_SCREENSHOTS, { recursive: true })
  for (const name of names) {
    copyFileSync(join(ARTIFACTS_DIR, `${name}.png`), join(DOCS_SCREENSHOTS, `${name}.png`))
  }
}

/** A project owned by `owner` with the given teammates already members (through the API). */
export async function createSharedProject(
  server: RunningServer,
  owner: Account,
  name: string,
  teammates: Array<{ account: Account; role: Role }>,
): Promise<string> {
  const project = await api<{ id: string }>(server, owner, '/projects', {
    method: 'POST',
    body: { name, description: '' },
  })
  for (const t of teammates) {
    await api(server, owner, `/projects/${project.id}/members`, {
      method: 'POST',
      body: { email: t.account.user.email, role: t.role },
    })
  }
  return project.id
}
