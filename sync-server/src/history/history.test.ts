import {
  addChecklistItem,
  createColumn,
  createLabel,
  createTask,
  deleteChecklistItem,
  deleteColumn,
  deleteLabel,
  deleteTask,
  getBoardView,
  getTask,
  listLabels,
  moveTask,
  restoreTask,
  updateBoardMeta,
  updateChecklistItem,
  updateTask,
} from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { waitFor } from '../sync/sync-test-utils.js'
import { toBoard } from '../tasks/tasks.presenter.js'
import {
  client,
  collabWorld,
  json,
  ok,
  type Person,
  startCollabServer,
  T0,
} from '../test/collab.js'
import { queryStored, writeStored } from '../test/stored.js'
import { chainState, foldsFor } from './checkpoint-chain.js'
import { checkpointKind, DAY_MS, diffKept, thinningPlan } from './checkpoint-policy.js'

const HOUR = 3_600_000
const iso = (ms: number) => new Date(ms).toISOString()

/** A small seeded PRNG (mulberry32): the same sequence every run. */
function rng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  }
}

type Server = Awaited<ReturnType<typeof startCollabServer>>

/** Waits until the server's live board is what `doc` shows (the edit is committed then). */
async function committed(server: Server, projectId: string, who: Person, doc: Y.Doc) {
  let last: unknown
  const deadline = performance.now() + 15_000
  for (;;) {
    const r = await json(server, 'GET', `/projects/${projectId}/board`, who.token)
    expect(r.status).toBe(200)
    const want = toBoard(doc, [])
    const got = { ...r.body, members: [] }
    if (JSON.stringify(got) === JSON.stringify(want)) return r.body
    last = got
    if (performance.now() > deadline) {
      throw new Error(`server never showed the client's board; last: ${JSON.stringify(last)}`)
    }
    await new Promise((res) => setTimeout(res, 10))
  }
}

function checkpointsOf(dbFile: string, projectId: string) {
  return queryStored<{
    upto_seq: number
    upto_at: number
    state: Uint8Array
    kind: 'full' | 'diff'
  }>(
    dbFile,
    'SELECT upto_seq, upto_at, state, kind FROM doc_checkpoints WHERE doc_name = ? ORDER BY upto_seq',
    [projectId],
  )
}

function indexOf(dbFile: string, projectId: string) {
  return queryStored<{ last_seq: number; base_seq: number }>(
    dbFile,
    'SELECT last_seq, base_seq FROM history_index WHERE doc_name = ?',
    [projectId],
  )[0]
}

function logOf(dbFile: string, projectId: string) {
  return queryStored<{ seq: number; update: Uint8Array; created_at: number }>(
    dbFile,
    'SELECT seq, "update", created_at FROM doc_updates WHERE doc_name = ? ORDER BY seq',
    [projectId],
  )
}

describe('checkpoint policy', () => {
  const policy = { days: 90, checkpointUpdates: 100 }
  const facts = {
    updatesSince: 0,
    logBytesSinceFull: 0,
    chainBytes: 0,
    stateBytes: 1000,
    uptoAt: T0,
  }

  it('keeps the first state, then one per N updates or per new day: full once the log since the last full one outweighs it and the diffs, else a diff', () => {
    const kind = (
      f: Partial<typeof facts> & { last?: { uptoSeq: number; uptoAt: number } | null },
    ) => checkpointKind({ last: { uptoSeq: 10, uptoAt: T0 }, ...facts, ...f }, policy)
    expect(kind({ last: null })).toBe('full')
    // Rows bound: a checkpoint every 100 updates whatever the bytes.
    expect(kind({ updatesSince: 99, logBytesSinceFull: 5000 })).toBe(null)
    expect(kind({ updatesSince: 100, logBytesSinceFull: 10 })).toBe('diff')
    // Bytes bound: full once the log since the last full covers the state and the chain.
    expect(kind({ updatesSince: 100, logBytesSinceFull: 1199, chainBytes: 200 })).toBe('diff')
    expect(kind({ updatesSince: 100, logBytesSinceFull: 1200, chainBytes: 200 })).toBe('full')
    // A new UTC day keeps one too; within the day, nothing before N updates.
    expect(kind({ updatesSince: 3, uptoAt: T0 + DAY_MS })).toBe('diff')
    expect(kind({ updatesSince: 3, uptoAt: T0 + HOUR, logBytesSinceFull: 5000 })).toBe(null)
    expect(kind({ updatesSince: 0, uptoAt: T0 + DAY_MS })).toBe(null)
    expect(checkpointKind({ ...facts, last: null }, { ...policy, days: 0 })).toBe(null)
    // A diff never makes the chain outweigh the log it covers.
    const f = { last: null, ...facts, logBytesSinceFull: 500, chainBytes: 300 }
    expect(diffKept(f, 200)).toBe(true)
    expect(diffKept(f, 201)).toBe(false)
  })

  it('folds dropped checkpoints into the next kept diff, so every kept one still loads', () => {
    const cps = [
      { uptoSeq: 1, kind: 'full' as const },
      { uptoSeq: 2, kind: 'diff' as const },
      { uptoSeq: 3, kind: 'diff' as const },
      { uptoSeq: 4, kind: 'diff' as const },
      { uptoSeq: 5, kind: 'full' as const },
      { uptoSeq: 6, kind: 'diff' as const },
      { uptoSeq: 7, kind: 'diff' as const },
    ]
    expect(foldsFor(cps, new Set([1, 2, 3, 6]))).toEqual([
      { into: 4, from: [1, 2, 3], kind: 'full' },
      { into: 7, from: [6], kind: 'diff' },
    ])
    // Dropped runs before a kept full one, or at the end, need nothing.
    expect(foldsFor(cps, new Set([2, 3, 4, 7]))).toEqual([])
    // A dropped full in the middle of a run restarts it.
    expect(foldsFor(cps, new Set([3, 4, 5, 6]))).toEqual([{ into: 7, from: [5, 6], kind: 'full' }])
  })

  it('thins to one a day for a week, one a week before, and one base older than the window', () => {
    const now = T0 + 200 * DAY_MS
    // One checkpoint every 6 hours for 200 days.
    const cps = Array.from({ length: 800 }, (_, i) => ({
      uptoSeq: (i + 1) * 10,
      uptoAt: T0 + i * 6 * HOUR,
    }))
    const plan = thinningPlan(cps, now, 90)
    const dropped = new Set(plan.dropCheckpoints)
    const kept = cps.filter((c) => !dropped.has(c.uptoSeq))
    const cutoff = now - 90 * DAY_MS
    const older = kept.filter((c) => c.uptoAt <= cutoff)
    expect(older).toHaveLength(1)
    expect(plan.dropRowsUpto).toBe(older[0]!.uptoSeq)
    const lastWeek = kept.filter((c) => c.uptoAt >= now - 7 * DAY_MS)
    const days = new Set(lastWeek.map((c) => Math.floor(c.uptoAt / DAY_MS)))
    expect(days.size).toBe(lastWeek.length)
    const weekly = kept.filter((c) => c.uptoAt > cutoff && c.uptoAt < now - 7 * DAY_MS)
    // ~83 days: 12 or 13 weeks, one each.
    expect(weekly.length).toBeGreaterThanOrEqual(11)
    expect(weekly.length).toBeLessThanOrEqual(14)
    expect(kept[kept.length - 1]).toEqual(cps[cps.length - 1])
  })
})

describe('board history (issue 18)', () => {
  it('the board as of any recorded time equals what it was then, through compactions and restarts', async () => {
    const env = { TASKFLOW_COMPACT_UPDATES: '4' }
    // Small compressed pieces of board patches, so reads cross pieces and plain rows.
    const deps = { checkpointUpdates: 6, boardPackRows: 5 }
    const w = await collabWorld({ env, deps })
    const { clock, projectId, ann } = w
    let server: Server = w.server
    const r = rng(18)
    const doc = new Y.Doc()
    let a: WebsocketProvider = await client(server, projectId, ann, doc)
    const ctx = () => ({ now: clock.now(), userId: ann.id })
    const recorded: { at: number; board: unknown }[] = []
    const liveTasks = () => getBoardView(doc).columns.flatMap((c) => c.tasks)
    const trashed = () => getBoardView(doc).trash

    for (let step = 0; step < 48; step++) {
      const cols = getBoardView(doc).columns
      const tasks = liveTasks()
      const op = r.int(10)
      if (op <= 1 || tasks.length === 0) {
        ok(
          createTask(
            doc,
            {
              columnId: r.pick(cols).id,
              title: `Task ${step}`,
              descriptionMarkdown: `Step **${step}**`,
            },
            ctx(),
          ),
        )
      } else if (op <= 3) {
        const t = r.pick(tasks)
        ok(
          updateTask(
            doc,
            t.id,
            {
              title: `${t.title} v${step}`,
              priority: r.pick(['low', 'high', 'urgent'] as const),
              // Rewritten descriptions make the log outgrow the state: checkpoints are kept.
              descriptionMarkdown: `rewritten${step} `.repeat(40),
            },
            ctx(),
          ),
        )
      } else if (op === 4) {
        const t = r.pick(tasks)
        const to = r.pick(cols)
        ok(moveTask(doc, t.id, { columnId: to.id, index: r.int(to.tasks.length + 1) }, ctx()))
      } else if (op === 5) {
        ok(deleteTask(doc, r.pick(tasks).id, ctx()))
      } else if (op === 6 && trashed().length > 0) {
        ok(restoreTask(doc, r.pick(trashed()).id, ctx()))
      } else if (op === 7) {
        const t = r.pick(tasks)
        const item = ok(addChecklistItem(doc, t.id, { text: `Item ${step}` }, ctx()))
        if (r.int(2) === 0) ok(updateChecklistItem(doc, t.id, item.id, { done: true }, ctx()))
      } else if (op === 8) {
        if (cols.length > 2 && r.int(2) === 0) {
          const gone = r.pick(cols.slice(1))
          ok(deleteColumn(doc, gone.id, { moveTasksTo: cols[0]!.id }, ctx()))
        } else ok(createColumn(doc, { name: `Column ${step}`, category: 'in_progress' }, ctx()))
      } else {
        ok(updateBoardMeta(doc, { name: `Launch ${step}` }, ctx()))
        const t = r.pick(tasks)
        ok(
          updateTask(
            doc,
            t.id,
            {
              dueDate: `2026-12-${String(1 + r.int(28)).padStart(2, '0')}`,
              assigneeIds: r.int(2) ? [ann.id] : [],
            },
            ctx(),
          ),
        )
      }
      const board = await committed(server, projectId, ann, doc)
      recorded.push({ at: clock.now(), board })
      // Minutes to hours between steps, sometimes days: daily checkpoints happen.
      clock.advance(r.int(4) === 0 ? DAY_MS + r.int(DAY_MS) : 1 + r.int(6 * HOUR))
      if (step === 16 || step === 33) {
        a.destroy()
        await server.close()
        server = await startCollabServer(clock, { dir: server.dir, env, deps })
        a = await client(server, projectId, ann, doc)
      }
    }
    await server.idle()

    // Compaction kept checkpoints (replays start from them) and no row was dropped (all is
    // within 90 days).
    const checkpoints = checkpointsOf(server.dbFile, projectId)
    expect(checkpoints.length).toBeGreaterThanOrEqual(2)
    // Replays start from diffs as well as full states.
    expect(checkpoints.some((c) => c.kind === 'diff')).toBe(true)
    expect(logOf(server.dbFile, projectId)[0]!.seq).toBe(1)

    // Oldest first, the server moves the document it rebuilt for the previous time forward;
    // newest first, it rebuilds each from the nearest checkpoint. Once the history
    // derivation is current (the first read makes it so), every one is read from the stored
    // board reads instead: a whole board and the patches after it.
    for (const rec of [...recorded, ...[...recorded].reverse()]) {
      const res = await json(
        server,
        'GET',
        `/projects/${projectId}/board?at=${iso(rec.at)}`,
        ann.token,
      )
      expect(res.status).toBe(200)
      expect(res.body, `board at ${iso(rec.at)}`).toEqual(rec.board)
    }
    const boardRows = queryStored<{ kind: string; n: number }>(
      server.dbFile,
      `SELECT kind, count(*) AS n FROM history_board WHERE doc_name = ? GROUP BY kind
       UNION ALL SELECT kind, count(*) AS n FROM history_board_packs WHERE doc_name = ? GROUP BY kind`,
      [projectId, projectId],
    )
    const count = (kind: string) => Number(boardRows.find((r) => r.kind === kind)?.n ?? 0)
    // Whole boards are stored compressed; patches in compressed pieces of 5, the newest
    // (fewer than 5) plain.
    expect(count('full')).toBeGreaterThanOrEqual(1)
    expect(count('patches')).toBeGreaterThanOrEqual(2)
    expect(count('patch')).toBeLessThan(5)
    // Between two recordings the board is the earlier one.
    const mid = recorded[10]!
    const res = await json(
      server,
      'GET',
      `/projects/${projectId}/board?at=${iso(mid.at + 1)}`,
      ann.token,
    )
    expect(res.body).toEqual(mid.board)
  }, 120_000)

  it('retention thins checkpoints and drops the log before the window, and every checkpoint left still loads', async () => {
    // Shorter than a session lives (the test signs in once).
    const env = { TASKFLOW_COMPACT_UPDATES: '2', TASKFLOW_HISTORY_DAYS: '12' }
    const w = await collabWorld({ env, deps: { checkpointUpdates: 2 } })
    const { clock, server, projectId, ann } = w
    const doc = new Y.Doc()
    await client(server, projectId, ann, doc)
    const col = getBoardView(doc).columns[0]!.id
    const { id } = ok(createTask(doc, { columnId: col, title: 'Long lived' }, { now: clock.now() }))
    const recorded: { at: number; board: unknown }[] = []
    // Three edits a day for 24 days: every compaction on a new day keeps a checkpoint.
    for (let day = 0; day < 24; day++) {
      for (let k = 0; k < 3; k++) {
        ok(
          updateTask(
            doc,
            id,
            { title: `Day ${day} edit ${k}`, estimate: day * 3 + k },
            { now: clock.now() },
          ),
        )
        recorded.push({ at: clock.now(), board: await committed(server, projectId, ann, doc) })
        clock.advance(2 * HOUR)
      }
      clock.advance(DAY_MS - 6 * HOUR)
    }
    // Retention runs after a compaction, by that time: compact now (off any day boundary).
    clock.advance(HOUR)
    for (let k = 0; k < 3; k++) {
      ok(updateTask(doc, id, { title: `Last edit ${k}` }, { now: clock.now() }))
      recorded.push({ at: clock.now(), board: await committed(server, projectId, ann, doc) })
      clock.advance(1)
    }
    await server.idle()
    const now = clock.now()
    const checkpoints = checkpointsOf(server.dbFile, projectId)
    const cutoff = now - 12 * DAY_MS
    // One base at or before the window's start, then at most one a week, then one a day.
    expect(checkpoints.filter((c) => c.upto_at <= cutoff)).toHaveLength(1)
    const weekly = checkpoints.filter((c) => c.upto_at > cutoff && c.upto_at < now - 7 * DAY_MS)
    const weeks = weekly.map((c) => Math.floor((Math.floor(c.upto_at / DAY_MS) + 3) / 7))
    expect(new Set(weeks).size).toBe(weeks.length)
    expect(checkpoints.length).toBeLessThan(12)
    // The log starts right after the base: nothing older is kept.
    const log = logOf(server.dbFile, projectId)
    expect(log[0]!.seq).toBe(checkpoints[0]!.upto_seq + 1)

    // Thinning kept diff chains intact: the oldest is full, and diffs were kept after it.
    expect(checkpoints[0]!.kind).toBe('full')
    expect(checkpoints.some((c) => c.kind === 'diff')).toBe(true)
    // Each checkpoint left (its chain: the nearest full one, then the diffs up to it) equals
    // the replay of the base and the log up to it...
    for (const [i, c] of checkpoints.entries()) {
      const replay = new Y.Doc()
      Y.applyUpdate(replay, checkpoints[0]!.state)
      for (const row of log) if (row.seq <= c.upto_seq) Y.applyUpdate(replay, row.update)
      let from = i
      while (checkpoints[from]!.kind !== 'full') from--
      const loaded = new Y.Doc()
      Y.applyUpdate(loaded, chainState(checkpoints.slice(from, i + 1)))
      expect(toBoard(loaded, [])).toEqual(toBoard(replay, []))
    }
    // ...and every recorded time inside the window reads back exactly; older ones are refused.
    for (const rec of recorded) {
      const res = await json(
        server,
        'GET',
        `/projects/${projectId}/board?at=${iso(rec.at)}`,
        ann.token,
      )
      if (rec.at < cutoff) {
        expect(res.status).toBe(400)
        expect(res.body.error.code).toBe('validation_failed')
      } else {
        expect(res.status).toBe(200)
        expect(res.body).toEqual(rec.board)
      }
    }
  }, 120_000)

  it('task history lists field versions with who and when; change steps name tasks and fields', async () => {
    const w = await collabWorld()
    const { clock, server, projectId, ann, bob } = w
    const a = await client(server, projectId, ann)
    const b = await client(server, projectId, bob)
    const cols = getBoardView(a.doc).columns
    const { id } = ok(
      createTask(a.doc, { columnId: cols[0]!.id, title: 'Write copy' }, { now: clock.now() }),
    )
    const created = clock.now()
    await committed(server, projectId, ann, a.doc)
    clock.advance(HOUR)
    await waitFor(() => getTask(b.doc, id) !== undefined, 'task at Bob')
    ok(moveTask(b.doc, id, { columnId: cols[1]!.id }, { now: clock.now(), userId: bob.id }))
    ok(
      updateTask(
        b.doc,
        id,
        { title: 'Write the copy', descriptionMarkdown: '- one\n- two' },
        { now: clock.now() },
      ),
    )
    const bobAt = clock.now()
    await committed(server, projectId, bob, b.doc)
    clock.advance(HOUR)

    const h = await json(server, 'GET', `/projects/${projectId}/tasks/${id}/history`, bob.token)
    expect(h.status).toBe(200)
    const latest = (field: string) =>
      h.body.versions.find((v: { field: string }) => v.field === field)
    expect(latest('title')).toMatchObject({
      value: 'Write the copy',
      userId: bob.id,
      at: iso(bobAt),
    })
    expect(latest('description')).toMatchObject({ value: '- one\n- two', userId: bob.id })
    expect(latest('column')).toMatchObject({
      value: { id: cols[1]!.id, name: cols[1]!.name },
      userId: bob.id,
    })
    expect(latest('priority')).toMatchObject({ value: 'none', userId: ann.id, at: iso(created) })
    const titles = h.body.versions.filter((v: { field: string }) => v.field === 'title')
    expect(titles.map((v: { value: string }) => v.value)).toEqual(['Write the copy', 'Write copy'])

    // A page at a time, newest first, without overlap.
    const p1 = await json(
      server,
      'GET',
      `/projects/${projectId}/tasks/${id}/history?limit=5`,
      bob.token,
    )
    const p2 = await json(
      server,
      'GET',
      `/projects/${projectId}/tasks/${id}/history?limit=200&cursor=${p1.body.nextCursor}`,
      bob.token,
    )
    expect([...p1.body.versions, ...p2.body.versions]).toEqual(h.body.versions)
    expect(p2.body.nextCursor).toBeNull()

    const steps = await json(
      server,
      'GET',
      `/projects/${projectId}/history/changes?from=${iso(created)}`,
      ann.token,
    )
    expect(steps.status).toBe(200)
    const mine = steps.body.steps.filter((s: { tasks: { taskId: string }[] }) =>
      s.tasks.some((t) => t.taskId === id),
    )
    expect(mine.map((s: { userId: string }) => s.userId)).toEqual([ann.id, bob.id])
    expect(mine[0].tasks[0].fields).toEqual(['created'])
    expect(new Set(mine[1].tasks[0].fields)).toEqual(new Set(['column', 'title', 'description']))
    // The board right after Bob's step shows his edit; right before, Ann's.
    const after = await json(
      server,
      'GET',
      `/projects/${projectId}/board?at=${mine[1].at}`,
      ann.token,
    )
    expect(after.body.tasks.find((t: { id: string }) => t.id === id).title).toBe('Write the copy')
    const before = await json(
      server,
      'GET',
      `/projects/${projectId}/board?at=${iso(Date.parse(mine[1].startedAt) - 1)}`,
      ann.token,
    )
    expect(before.body.tasks.find((t: { id: string }) => t.id === id).title).toBe('Write copy')
    expect(
      (await json(server, 'GET', `/projects/${projectId}/tasks/nope/history`, ann.token)).status,
    ).toBe(404)
  }, 60_000)

  it('task history is derived in the background after commits: the index is current before anyone reads it', async () => {
    const w = await collabWorld({ env: { TASKFLOW_COMPACT_UPDATES: '4' } })
    const { clock, projectId, ann, server } = w
    const doc = new Y.Doc()
    const a = await client(server, projectId, ann, doc)
    const ctx = () => ({ now: clock.now(), userId: ann.id })
    const cols = getBoardView(doc).columns
    const { id } = ok(createTask(doc, { columnId: cols[0]!.id, title: 'Draft' }, ctx()))
    await committed(server, projectId, ann, doc)
    for (let i = 0; i < 5; i++) {
      clock.advance(HOUR)
      ok(updateTask(doc, id, { title: `Draft ${i}` }, ctx()))
      await committed(server, projectId, ann, doc)
    }
    // No history read yet: the derivation engine's consumer derived and stored every row.
    await server.idle()
    const lastSeq = logOf(server.dbFile, projectId).at(-1)!.seq
    expect(indexOf(server.dbFile, projectId)).toMatchObject({ last_seq: lastSeq })
    const stored = queryStored<{ n: number }>(
      server.dbFile,
      "SELECT count(*) AS n FROM history_versions WHERE doc_name = ? AND task_id = ? AND field = 'title'",
      [projectId, id],
    )[0]!.n
    expect(stored).toBe(6)
    // And the read answers from it: the newest title first, attributed.
    const r = await json(server, 'GET', `/projects/${projectId}/tasks/${id}/history`, ann.token)
    expect(r.status).toBe(200)
    const titles = r.body.versions.filter((v: { field: string }) => v.field === 'title')
    expect(titles.map((v: { value: string }) => v.value)).toEqual([
      'Draft 4',
      'Draft 3',
      'Draft 2',
      'Draft 1',
      'Draft 0',
      'Draft',
    ])
    expect(titles[0].userId).toBe(ann.id)
    a.destroy()
  }, 60_000)

  it('task history is stored as the log is read: after a restart it resumes where it stopped and equals a derivation from scratch', async () => {
    const env = { TASKFLOW_COMPACT_UPDATES: '4' }
    // Small pieces of the index (history-index-packs.ts): reads, resume and rebuild go
    // through pieces and plain rows both.
    const deps = { checkpointUpdates: 6, indexPacking: { versions: 4, steps: 2, held: 1 } }
    const w = await collabWorld({ env, deps })
    const { clock, projectId, ann } = w
    let server: Server = w.server
    const doc = new Y.Doc()
    let a = await client(server, projectId, ann, doc)
    const ctx = () => ({ now: clock.now(), userId: ann.id })
    const cols = getBoardView(doc).columns
    const { id } = ok(createTask(doc, { columnId: cols[0]!.id, title: 'Draft' }, ctx()))
    await committed(server, projectId, ann, doc)
    for (let i = 0; i < 12; i++) {
      clock.advance(HOUR)
      ok(updateTask(doc, id, { title: `Draft ${i}`, priority: i % 2 ? 'high' : 'low' }, ctx()))
      await committed(server, projectId, ann, doc)
    }
    const path = `/projects/${projectId}/tasks/${id}/history`
    const before = await json(server, 'GET', path, ann.token)
    expect(before.status).toBe(200)
    await server.idle()
    const lastSeq = () => logOf(server.dbFile, projectId).at(-1)!.seq
    // The read stored the derivation up to the last stored update.
    expect(indexOf(server.dbFile, projectId)).toMatchObject({ last_seq: lastSeq() })

    const restart = async () => {
      a.destroy()
      await server.close()
      server = await startCollabServer(clock, { dir: server.dir, env, deps })
      a = await client(server, projectId, ann, doc)
    }
    await restart()
    // Within VERSION_MERGE_MS of the last title edit, by the same person: one version.
    clock.advance(60_000)
    ok(updateTask(doc, id, { title: 'Final' }, ctx()))
    await committed(server, projectId, ann, doc)
    clock.advance(HOUR)
    ok(moveTask(doc, id, { columnId: cols[1]!.id }, ctx()))
    await committed(server, projectId, ann, doc)
    const resumed = await json(server, 'GET', path, ann.token)
    expect(resumed.status).toBe(200)
    const titles = resumed.body.versions.filter((v: { field: string }) => v.field === 'title')
    expect(titles.map((v: { value: string }) => v.value).slice(0, 2)).toEqual(['Final', 'Draft 10'])
    // Everything from before the restart is still there, less the title it merged into 'Final'.
    type V = { seq: number; field: string; value: unknown }
    const seenSeq = Math.max(...before.body.versions.map((v: V) => v.seq))
    expect(resumed.body.versions.filter((v: V) => v.seq <= seenSeq)).toEqual(
      before.body.versions.filter((v: V) => !(v.field === 'title' && v.value === 'Draft 11')),
    )
    const changes = await json(server, 'GET', `/projects/${projectId}/history/changes`, ann.token)

    // The same reads with the stored index dropped: derived again from the oldest base.
    await server.idle()
    a.destroy()
    await server.close()
    for (const t of ['history_versions', 'history_steps', 'history_index']) {
      writeStored(server.dbFile, `DELETE FROM ${t}`)
    }
    server = await startCollabServer(clock, { dir: server.dir, env, deps })
    const fresh = await json(server, 'GET', path, ann.token)
    expect(fresh.body).toEqual(resumed.body)
    expect(
      (await json(server, 'GET', `/projects/${projectId}/history/changes`, ann.token)).body,
    ).toEqual(changes.body)
  }, 120_000)

  it('restores a task, a field, a deleted task, a column and the board as new edits that merge with an offline edit', async () => {
    const w = await collabWorld()
    const { clock, server, projectId, ann, bob } = w
    const a = await client(server, projectId, ann)
    const b = await client(server, projectId, bob)
    const cols = getBoardView(a.doc).columns
    const actx = () => ({ now: clock.now(), userId: ann.id })
    const x = ok(
      createTask(a.doc, { columnId: cols[0]!.id, title: 'Final words', priority: 'low' }, actx()),
    ).id
    const y = ok(createTask(a.doc, { columnId: cols[1]!.id, title: 'Keep me' }, actx())).id
    const extra = ok(createColumn(a.doc, { name: 'Review', category: 'in_progress' }, actx())).id
    const z = ok(createTask(a.doc, { columnId: extra, title: 'In review' }, actx())).id
    await committed(server, projectId, ann, a.doc)
    clock.advance(HOUR)
    const then = clock.now()
    const past = await json(server, 'GET', `/projects/${projectId}/board`, ann.token)
    clock.advance(HOUR)

    // Later: Ann rewrites X, trashes Y, deletes the Review column, adds a task.
    ok(updateTask(a.doc, x, { title: 'Changed', dueDate: '2026-12-24' }, actx()))
    ok(deleteTask(a.doc, y, actx()))
    ok(deleteColumn(a.doc, extra, { moveTasksTo: cols[0]!.id }, actx()))
    const later = ok(createTask(a.doc, { columnId: cols[2]!.id, title: 'Made later' }, actx())).id
    await committed(server, projectId, ann, a.doc)
    await waitFor(() => getTask(b.doc, later) !== undefined, 'Bob has the later edits')
    clock.advance(HOUR)

    // Bob goes offline and edits X and Y there.
    b.disconnect()
    ok(
      updateTask(
        b.doc,
        x,
        { title: 'Changed (bob)', priority: 'urgent' },
        { now: clock.now(), userId: bob.id },
      ),
    )
    ok(updateTask(b.doc, y, { estimate: 5 }, { now: clock.now(), userId: bob.id }))

    const restore = (body: object) =>
      json(server, 'POST', `/projects/${projectId}/history/restore`, ann.token, {
        at: iso(then),
        ...body,
      })
    // One field: only the title comes back; the due date stays.
    let res = await restore({ taskId: x, field: 'title' })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ at: iso(then), changed: true, taskIds: [x], columnIds: [] })
    await waitFor(() => getTask(a.doc, x)?.title === 'Final words', 'title restored at Ann')
    expect(getTask(a.doc, x)?.dueDate).toBe('2026-12-24')
    // The whole task, the deleted task, the deleted column with its task.
    expect((await restore({ taskId: x })).status).toBe(200)
    expect((await restore({ taskId: y })).body.taskIds).toEqual([y])
    res = await restore({ columnId: extra })
    expect(res.body).toMatchObject({ changed: true, columnIds: [extra], taskIds: [z] })
    await waitFor(() => getTask(a.doc, z)?.columnId === extra, 'column back with its task at Ann')
    expect(getTask(a.doc, x)?.dueDate).toBeNull()
    expect(getTask(a.doc, y)?.deletedAt).toBeNull()
    // Restoring what already is changes nothing.
    expect((await restore({ taskId: y })).body).toMatchObject({ changed: false, taskIds: [] })

    // Bob reconnects: his offline edits merge with the restores (B8 by character, B7 per field, B13).
    b.connect()
    // Bob typed " (bob)" after "Changed"; the restore replaced "Changed" with "Final words".
    // Yjs inserts the restored text after the deleted run too, so both inserts follow the same
    // character and their order is Yjs's tie-break by client id (random per run): either
    // order is a correct merge (B8) as long as both replicas agree and keep both texts.
    const merged = (d: Y.Doc) =>
      ['Final words (bob)', ' (bob)Final words'].includes(getTask(d, x)?.title ?? '') &&
      getTask(d, x)?.title === getTask(d === a.doc ? b.doc : a.doc, x)?.title &&
      getTask(d, x)?.priority === 'urgent' &&
      getTask(d, y)?.estimate === 5 &&
      getTask(d, y)?.deletedAt === null &&
      getTask(d, z)?.columnId === extra
    await waitFor(() => merged(a.doc) && merged(b.doc), 'restores and offline edits merged on both')

    // The whole board: the later task goes to the trash, the rest is as it was then.
    res = await restore({ board: true })
    expect(res.status).toBe(200)
    expect(res.body.taskIds).toContain(later)
    await waitFor(() => getTask(b.doc, later)?.deletedAt !== null, 'Bob sees the board restore')
    const now = await committed(server, projectId, bob, b.doc)
    const shape = (board: {
      columns: { id: string; name: string }[]
      tasks: Record<string, unknown>[]
    }) => ({
      columns: board.columns.map((c) => [c.id, c.name]),
      tasks: board.tasks.map((t) => [
        t.id,
        t.columnId,
        t.title,
        t.priority,
        t.dueDate,
        t.deletedAt,
      ]),
    })
    // Every field is as it was then again (Bob's merged edits were later than `then`).
    expect(shape(now)).toEqual(shape(past.body))
    expect(getTask(b.doc, y)?.estimate).toBeNull()

    // Attributed to Ann in activity, as the task API's edits are.
    await server.idle()
    const act = await json(server, 'GET', `/projects/${projectId}/activity?taskId=${x}`, ann.token)
    expect(
      act.body.entries.some(
        (e: { userId: string; kind: string; subject: string }) =>
          e.userId === ann.id && e.subject === 'title',
      ),
    ).toBe(true)
    // Stored history is never rewritten: the board before the restores reads as before.
    const before = await json(
      server,
      'GET',
      `/projects/${projectId}/board?at=${iso(then)}`,
      ann.token,
    )
    expect(before.body).toEqual(past.body)
  }, 60_000)

  it('restoring a task brings back its deleted label (B21) and checklist items under their ids (B22), merged with an offline edit', async () => {
    const { clock, server, projectId, ann, bob } = await collabWorld()
    const a = await client(server, projectId, ann)
    const b = await client(server, projectId, bob)
    const actx = () => ({ now: clock.now(), userId: ann.id })
    const todo = getBoardView(a.doc).columns[0]!.id
    const bug = ok(createLabel(a.doc, { name: 'Bug', color: '#ef4444' }, actx())).id
    const t = ok(createTask(a.doc, { columnId: todo, title: 'Fix login' }, actx())).id
    ok(updateTask(a.doc, t, { labelIds: [bug] }, actx()))
    const one = ok(addChecklistItem(a.doc, t, { text: 'Reproduce' }, actx())).id
    const two = ok(addChecklistItem(a.doc, t, { text: 'Patch' }, actx())).id
    await committed(server, projectId, ann, a.doc)
    clock.advance(HOUR)
    const then = clock.now()
    clock.advance(HOUR)

    // Later: the label is deleted from the board, one item deleted, the other ticked.
    ok(deleteLabel(a.doc, bug, actx()))
    ok(deleteChecklistItem(a.doc, t, one, actx()))
    ok(updateChecklistItem(a.doc, t, two, { done: true }, actx()))
    await committed(server, projectId, ann, a.doc)
    await waitFor(() => getTask(b.doc, t)?.checklistItems.length === 1, 'Bob has the later edits')
    clock.advance(HOUR)
    // Bob, offline, renames the remaining item and adds one.
    b.disconnect()
    const bctx = { now: clock.now(), userId: bob.id }
    ok(updateChecklistItem(b.doc, t, two, { text: 'Patch it' }, bctx))
    const three = ok(addChecklistItem(b.doc, t, { text: 'Deploy' }, bctx)).id

    const res = await json(server, 'POST', `/projects/${projectId}/history/restore`, ann.token, {
      at: iso(then),
      taskId: t,
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ changed: true, taskIds: [t] })
    b.connect()
    const restored = (d: Y.Doc) => {
      const task = getTask(d, t)
      return (
        JSON.stringify(listLabels(d)) ===
          JSON.stringify([{ id: bug, name: 'Bug', color: '#ef4444' }]) &&
        JSON.stringify(task?.labelIds) === JSON.stringify([bug]) &&
        JSON.stringify(task?.checklistItems.map((i) => [i.id, i.text, i.done])) ===
          JSON.stringify([
            [one, 'Reproduce', false],
            [two, 'Patch it', false],
            [three, 'Deploy', false],
          ])
      )
    }
    // The label is the same label (same id, name, colour), the item the same item; Bob's
    // offline rename and add merge with the restore (B14).
    await waitFor(() => restored(a.doc) && restored(b.doc), 'restore and offline edits merged')
    const board = await json(server, 'GET', `/projects/${projectId}/board`, bob.token)
    expect(board.body.tasks.find((x: { id: string }) => x.id === t).labelIds).toEqual([bug])
  }, 60_000)

  it('refuses a malformed time, a future one, one before history, and a restore with no single target', async () => {
    const w = await collabWorld({ env: { TASKFLOW_HISTORY_DAYS: '1' } })
    const { clock, server, projectId, ann, eve } = w
    const board = `/projects/${projectId}/board`
    for (const at of ['yesterday', '2026-11-02T10:00:00', iso(clock.now() + 1), iso(T0 - DAY_MS)]) {
      const res = await json(server, 'GET', `${board}?at=${encodeURIComponent(at)}`, ann.token)
      expect(res.status, at).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
    }
    expect((await json(server, 'GET', `${board}?at=${iso(clock.now())}`, ann.token)).status).toBe(
      200,
    )
    clock.advance(2 * DAY_MS)
    expect((await json(server, 'GET', `${board}?at=${iso(T0)}`, ann.token)).status).toBe(400)
    expect((await json(server, 'GET', `${board}?at=${iso(clock.now())}`, eve.token)).status).toBe(
      403,
    )
    const restore = `/projects/${projectId}/history/restore`
    for (const body of [
      { at: iso(clock.now()) },
      { at: iso(clock.now()), board: true, taskId: 'x' },
      { at: iso(clock.now()), columnId: 'c', field: 'title' },
    ]) {
      const res = await json(server, 'POST', restore, ann.token, body)
      expect(res.status, JSON.stringify(body)).toBe(400)
    }
    expect(
      (await json(server, 'POST', restore, ann.token, { at: iso(clock.now()), taskId: 'nope' }))
        .status,
    ).toBe(404)
    const steps = `/projects/${projectId}/history/changes`
    expect(
      (
        await json(
          server,
          'GET',
          `${steps}?from=${iso(clock.now())}&to=${iso(clock.now() - 1)}`,
          ann.token,
        )
      ).status,
    ).toBe(400)
    expect((await json(server, 'GET', `${steps}?limit=201`, ann.token)).status).toBe(400)
  }, 60_000)

  it('with TASKFLOW_HISTORY_DAYS=0 compaction drops the log as before and history reads answer 400', async () => {
    const env = { TASKFLOW_COMPACT_UPDATES: '2', TASKFLOW_HISTORY_DAYS: '0' }
    const w = await collabWorld({ env })
    const { clock, server, projectId, ann } = w
    const doc = new Y.Doc()
    await client(server, projectId, ann, doc)
    const col = getBoardView(doc).columns[0]!.id
    for (let i = 0; i < 6; i++)
      ok(createTask(doc, { columnId: col, title: `T${i}` }, { now: clock.now() }))
    await committed(server, projectId, ann, doc)
    await server.idle()
    expect(checkpointsOf(server.dbFile, projectId)).toEqual([])
    expect(logOf(server.dbFile, projectId).length).toBeLessThanOrEqual(3)
    const res = await json(
      server,
      'GET',
      `/projects/${projectId}/board?at=${iso(clock.now())}`,
      ann.token,
    )
    expect(res.status).toBe(400)
  }, 60_000)
})
