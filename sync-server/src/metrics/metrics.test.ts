import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CLOSE_CODES } from '@taskflow/api'
import { createTask, getBoardView } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { closeOf } from '../sync/sync-test-utils.js'
import { client, collabWorld, json, ok, relayed, signUp } from '../test/collab.js'
import { startTestServer } from '../test/start-test-server.js'

const METRICS_TOKEN = 'scrape-secret-0123456789'

async function scrape(server: { url: string }, token = METRICS_TOKEN): Promise<string> {
  const res = await fetch(`${server.url}/metrics`, {
    headers: { authorization: `Bearer ${token}` },
  })
  expect(res.status).toBe(200)
  return res.text()
}

/** The sample `name{labels}` of a Prometheus text exposition, or undefined when absent. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const key = labels ? `${name}{${labels}} ` : `${name} `
  const line = text.split('\n').find((l) => l.startsWith(key))
  return line === undefined ? undefined : Number(line.slice(key.length))
}

/** Scrapes until `cond` holds on the exposition (the server updates gauges on its own time). */
async function scrapeUntil(
  server: { url: string },
  cond: (text: string) => boolean,
  label: string,
): Promise<string> {
  const deadline = performance.now() + 10_000
  let text = ''
  while (performance.now() < deadline) {
    text = await scrape(server)
    if (cond(text)) return text
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`timed out waiting for ${label}; last scrape:\n${text}`)
}

describe('GET /metrics', () => {
  it('is not served unless TASKFLOW_METRICS=1, even with the app (and its SPA fallback) served', async () => {
    // The built app answers unknown paths with index.html; /metrics must not be one of them.
    const appDir = mkdtempSync(join(tmpdir(), 'taskflow-app-'))
    writeFileSync(join(appDir, 'index.html'), '<!doctype html><title>TaskFlow</title>')
    const server = await startTestServer({ TASKFLOW_APP_DIR: appDir })
    expect((await fetch(`${server.url}/projects/x`)).status).toBe(200) // the fallback is on
    const res = await fetch(`${server.url}/metrics`)
    expect(res.status).toBe(404)
    expect(await res.text()).not.toContain('<title>TaskFlow')
    rmSync(appDir, { recursive: true, force: true })
  })

  it('answers 401 without the configured bearer token and the exposition with it', async () => {
    const server = await startTestServer({
      TASKFLOW_METRICS: '1',
      TASKFLOW_METRICS_TOKEN: METRICS_TOKEN,
    })
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401)
    const wrong = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}x` },
    })
    expect(wrong.status).toBe(401)
    const res = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    expect(text).toContain('# TYPE taskflow_sync_connections gauge')
    // Node's default process metrics come from the server's own registry.
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0)
    for (const name of [
      'process_resident_memory_bytes',
      'process_open_fds',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_active_handles_total',
      'nodejs_version_info',
    ]) {
      expect(text).toContain(`# TYPE ${name} `)
    }
    // Left out on purpose: its GC observer costs relay CPU (docs/benchmarks.md, Metrics).
    expect(text).not.toContain('nodejs_gc_duration_seconds')
  })

  it('counts a real sync session: connections, updates, commit and relay times, closes, lag', async () => {
    const env = { TASKFLOW_METRICS: '1', TASKFLOW_METRICS_TOKEN: METRICS_TOKEN }
    const { server, projectId, ann, bob } = await collabWorld({ env })
    const vic = await signUp(server, 'vic')
    const added = await json(server, 'POST', `/projects/${projectId}/members`, ann.token, {
      email: vic.email,
      role: 'viewer',
    })
    expect(added.status).toBe(201)
    const before = await scrape(server)
    const updatesBefore = sample(before, 'taskflow_sync_updates_total') ?? 0
    const bytesBefore = sample(before, 'taskflow_sync_update_bytes_total') ?? 0

    const a = await client(server, projectId, ann)
    const b = await client(server, projectId, bob)
    const v = await client(server, projectId, vic)
    await scrapeUntil(
      server,
      (t) =>
        sample(t, 'taskflow_sync_connections', 'access="write"') === 2 &&
        sample(t, 'taskflow_sync_connections', 'access="read"') === 1,
      'two writers and one reader counted',
    )
    const todo = getBoardView(a.doc).columns[0]!.id
    for (const title of ['One', 'Two', 'Three']) {
      ok(createTask(a.doc, { columnId: todo, title }, { userId: ann.id }))
      await relayed(a.doc, b.doc, v.doc)
    }
    await server.idle()

    const during = await scrape(server)
    expect(sample(during, 'taskflow_sync_updates_total')).toBeGreaterThanOrEqual(updatesBefore + 3)
    expect(sample(during, 'taskflow_sync_update_bytes_total')).toBeGreaterThan(bytesBefore)
    expect(sample(during, 'taskflow_sync_commit_seconds_count')).toBeGreaterThan(0)
    expect(sample(during, 'taskflow_sync_relay_seconds_count')).toBeGreaterThan(0)
    expect(sample(during, 'taskflow_sync_rooms_loaded')).toBe(1)
    // idle() wrote the projection and the activity log up to the last committed update.
    expect(sample(during, 'taskflow_derivation_lag_updates')).toBe(0)

    a.destroy()
    await scrapeUntil(
      server,
      (t) => sample(t, 'taskflow_sync_connections', 'access="write"') === 1,
      'the closed writer no longer counted',
    )
    // A socket without a session is closed with 4401 and counted under that code.
    const anonymous = new WebSocket(`${server.syncUrl}/${projectId}`)
    expect((await closeOf(anonymous)).code).toBe(CLOSE_CODES.unauthenticated)
    const after = await scrapeUntil(
      server,
      (t) => sample(t, 'taskflow_sync_closes_total', `code="${CLOSE_CODES.unauthenticated}"`) === 1,
      'the 4401 close counted',
    )
    const closes = after.split('\n').filter((l) => l.startsWith('taskflow_sync_closes_total{'))
    expect(closes.length).toBeGreaterThanOrEqual(2) // the provider's own close, and 4401
  })

  it('labels HTTP requests with route templates, never with the ids in their paths', async () => {
    const env = { TASKFLOW_METRICS: '1', TASKFLOW_METRICS_TOKEN: METRICS_TOKEN }
    const { server, projectId, ann, eve } = await collabWorld({ env })
    expect((await json(server, 'GET', `/projects/${projectId}`, ann.token)).status).toBe(200)
    expect((await json(server, 'GET', `/projects/${projectId}`, eve.token)).status).toBe(403)
    expect((await json(server, 'GET', `/no-such/${projectId}`, ann.token)).status).toBe(404)

    const text = await scrape(server)
    expect(
      sample(
        text,
        'taskflow_http_requests_total',
        'method="GET",route="/api/v1/projects/:id",status="200"',
      ),
    ).toBe(1)
    expect(
      sample(
        text,
        'taskflow_http_requests_total',
        'method="GET",route="/api/v1/projects/:id",status="403"',
      ),
    ).toBe(1)
    expect(
      sample(text, 'taskflow_http_requests_total', 'method="GET",route="(unmatched)",status="404"'),
    ).toBe(1)
    expect(
      sample(
        text,
        'taskflow_http_request_seconds_count',
        'method="GET",route="/api/v1/projects/:id"',
      ),
    ).toBe(2)
    for (const id of [projectId, ann.id, eve.id, ann.token]) expect(text).not.toContain(id)
  })
})
