import { ERROR_CODES, type Workload } from '@taskflow/api'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import { MAX_RANGE_DAYS, type Range } from './report-range.js'
import * as q from './reports.queries.js'
import { addDays, dateRange, localDate, startOfDay, weekStart } from './zoned-time.js'

const DAY = 86_400_000
type Category = 'todo' | 'in_progress' | 'done'
const CATEGORIES: readonly Category[] = ['todo', 'in_progress', 'done']

/** Nearest-rank percentile of sorted numbers (p in 0..1); null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!
}

// Estimates may be fractional: keep sums free of float noise.
const round = (x: number) => Math.round(x * 1000) / 1000

function parseIds(json: string): string[] {
  try {
    const v = JSON.parse(json)
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

/**
 * Report computations over the projection tables. Every figure is derived from SQL rows;
 * day boundaries are local midnights of the requested time zone.
 */
export function createReportsService(db: Db, now: () => number) {
  /**
   * End-of-day counts per category (tasks and estimate points), replaying status changes
   * and deletions in time order once: O(changes + days), whatever the range.
   */
  async function sweep(projectId: string, range: Range) {
    const days = dateRange(range.from, range.to, MAX_RANGE_DAYS)
    const ends = days.map((d) => startOfDay(addDays(d, 1), range.timeZone))
    const [changes, tasks] = await Promise.all([
      q.statusChangesUntil(db, projectId, ends.at(-1)!),
      q.allTasksOf(db, projectId),
    ])
    return (only?: ReadonlySet<string>) =>
      sweepRows(days, ends, changes, only ? tasks.filter((t) => only.has(t.task_id)) : tasks)
  }

  /**
   * The groups of a single-select field (F9): its options in order, then `removed` for
   * values of options that no longer exist and `none` for tasks without a value; each with
   * the ids of the tasks in it (every task of `taskIds` in exactly one group). A group-by
   * naming anything else is a bad request.
   */
  async function selectGroups(projectId: string, groupBy: string, taskIds: readonly string[]) {
    const fieldId = groupBy.slice('field:'.length)
    const field = await q.fieldOf(db, projectId, fieldId)
    if (!field || field.deleted || field.type !== 'single_select') {
      throw new AppError(
        400,
        ERROR_CODES.validation,
        `Invalid query: groupBy: ${fieldId} is not a single-select field of this project`,
      )
    }
    const values = await q.fieldOptionValues(db, projectId, fieldId)
    const live = new Set(field.options.map((o) => o.option_id))
    const groupOf = new Map<string, string>()
    for (const v of values) {
      // One option per task for a single select; a leftover set (F8) counts by its first.
      if (groupOf.has(v.task_id)) continue
      groupOf.set(v.task_id, live.has(v.option_id!) ? v.option_id! : 'removed')
    }
    const groups = [
      ...field.options.map((o) => ({
        key: o.option_id,
        name: o.name,
        color: o.color as string | null,
      })),
      { key: 'removed', name: 'Removed option', color: null },
      { key: 'none', name: 'No value', color: null },
    ].map((g) => ({ ...g, taskIds: new Set<string>() }))
    const byKey = new Map(groups.map((g) => [g.key, g]))
    for (const id of taskIds) byKey.get(groupOf.get(id) ?? 'none')!.taskIds.add(id)
    // Removed options and "no value" only when some task is in them.
    return groups.filter((g) => (g.key !== 'removed' && g.key !== 'none') || g.taskIds.size > 0)
  }

  function sweepRows(
    days: string[],
    ends: number[],
    changes: Awaited<ReturnType<typeof q.statusChangesUntil>>,
    tasks: Awaited<ReturnType<typeof q.allTasksOf>>,
  ) {
    const info = new Map(tasks.map((t) => [t.task_id, t]))
    // Deletions as a second time-ordered stream (tasks gone for good have no row and no count).
    const deletions = tasks
      .filter((t) => t.deleted_at !== null && t.deleted_at < ends.at(-1)!)
      .map((t) => ({ taskId: t.task_id, at: t.deleted_at! }))
      .sort((a, b) => a.at - b.at)
    const category = new Map<string, Category>()
    const deleted = new Set<string>()
    const count: Record<Category, number> = { todo: 0, in_progress: 0, done: 0 }
    const points: Record<Category, number> = { todo: 0, in_progress: 0, done: 0 }
    const add = (id: string, cat: Category, sign: 1 | -1) => {
      count[cat] += sign
      points[cat] += sign * (info.get(id)?.estimate ?? 0)
    }
    const out: Array<{
      date: string
      count: Record<Category, number>
      points: Record<Category, number>
    }> = []
    let i = 0
    let j = 0
    for (let d = 0; d < days.length; d++) {
      const end = ends[d]!
      while (true) {
        const c = i < changes.length && changes[i]!.at < end ? changes[i]! : null
        const x = j < deletions.length && deletions[j]!.at < end ? deletions[j]! : null
        if (!c && !x) break
        if (c && (!x || c.at <= x.at)) {
          i++
          if (!info.has(c.task_id) || !CATEGORIES.includes(c.to_category as Category)) continue
          const prev = category.get(c.task_id)
          const next = c.to_category as Category
          category.set(c.task_id, next)
          if (deleted.has(c.task_id)) continue
          if (prev) add(c.task_id, prev, -1)
          add(c.task_id, next, 1)
        } else if (x) {
          j++
          deleted.add(x.taskId)
          const cat = category.get(x.taskId)
          if (cat) add(x.taskId, cat, -1)
        }
      }
      out.push({ date: days[d]!, count: { ...count }, points: { ...points } })
    }
    return out
  }

  return {
    async summary(projectId: string, timeZone: string) {
      const [columns, tasks] = await Promise.all([
        q.columnsOf(db, projectId),
        q.liveTasksOf(db, projectId),
      ])
      const t = now()
      const today = localDate(t, timeZone)
      const in7 = addDays(today, 7)
      // "Last 7/30 days" are calendar days in the viewer's zone, today included, like the
      // throughput buckets, so the tile and the chart agree.
      const since7 = startOfDay(addDays(today, -6), timeZone)
      const since30 = startOfDay(addDays(today, -29), timeZone)
      const perColumn = new Map<string, number>()
      const byCategory: Record<Category, number> = { todo: 0, in_progress: 0, done: 0 }
      let open = 0
      let overdue = 0
      let dueNext7Days = 0
      let completedLast7Days = 0
      let completedLast30Days = 0
      let unassignedOpen = 0
      for (const task of tasks) {
        perColumn.set(task.column_id, (perColumn.get(task.column_id) ?? 0) + 1)
        byCategory[task.category as Category]++
        if (task.category !== 'done') {
          open++
          if (task.due_date !== null && task.due_date < today) overdue++
          if (task.due_date !== null && task.due_date >= today && task.due_date <= in7) {
            dueNext7Days++
          }
          if (parseIds(task.assignee_ids).length === 0) unassignedOpen++
        } else if (task.completed_at !== null) {
          if (task.completed_at >= since7) completedLast7Days++
          if (task.completed_at >= since30) completedLast30Days++
        }
      }
      return {
        generatedAt: new Date(t).toISOString(),
        timeZone,
        byColumn: columns.map((c) => ({
          columnId: c.column_id,
          name: c.name,
          category: c.category,
          wipLimit: c.wip_limit,
          count: perColumn.get(c.column_id) ?? 0,
        })),
        byCategory,
        open,
        overdue,
        dueNext7Days,
        completedLast7Days,
        completedLast30Days,
        unassignedOpen,
      }
    },

    async throughput(projectId: string, range: Range, interval: 'day' | 'week') {
      const tasks = await q.liveTasksOf(db, projectId)
      // Weeks start on Monday; the first and last buckets are clipped to the range, and
      // say so with their start and end dates.
      const key = (d: string) =>
        interval === 'week' && weekStart(d) > range.from
          ? weekStart(d)
          : interval === 'week'
            ? range.from
            : d
      const buckets = new Map<string, { start: string; end: string; completed: number }>()
      for (const d of dateRange(range.from, range.to, MAX_RANGE_DAYS)) {
        const k = key(d)
        const b = buckets.get(k)
        if (b) b.end = d
        else buckets.set(k, { start: k, end: d, completed: 0 })
      }
      const start = startOfDay(range.from, range.timeZone)
      const end = startOfDay(addDays(range.to, 1), range.timeZone)
      for (const task of tasks) {
        const at = task.completed_at
        if (task.category !== 'done' || at === null || at < start || at >= end) continue
        const b = buckets.get(key(localDate(at, range.timeZone)))
        if (b) b.completed++
      }
      return { ...range, interval, buckets: [...buckets.values()] }
    },

    async cumulativeFlow(projectId: string, range: Range, groupBy?: string) {
      const run = await sweep(projectId, range)
      const flow = (only?: ReadonlySet<string>) =>
        run(only).map(({ date, count }) => ({ date, ...count }))
      const days = flow()
      if (!groupBy?.startsWith('field:')) return { ...range, days }
      const ids = (await q.allTasksOf(db, projectId)).map((t) => t.task_id)
      const groups = await selectGroups(projectId, groupBy, ids)
      return {
        ...range,
        days,
        groupBy,
        groups: groups.map(({ taskIds, ...g }) => ({ ...g, days: flow(taskIds) })),
      }
    },

    async burnup(projectId: string, range: Range) {
      const days = (await sweep(projectId, range))()
      return {
        ...range,
        days: days.map(({ date, count, points }) => ({
          date,
          scopeCount: count.todo + count.in_progress + count.done,
          scopePoints: round(points.todo + points.in_progress + points.done),
          completedCount: count.done,
          completedPoints: round(points.done),
        })),
      }
    },

    async cycleTime(projectId: string, range: Range) {
      const [tasks, started] = await Promise.all([
        q.liveTasksOf(db, projectId),
        q.firstStartedAt(db, projectId),
      ])
      const startedAt = new Map(started.map((s) => [s.task_id, s.started_at]))
      const start = startOfDay(range.from, range.timeZone)
      const end = startOfDay(addDays(range.to, 1), range.timeZone)
      const rows = []
      for (const t of tasks) {
        const done = t.completed_at
        const began = startedAt.get(t.task_id)
        if (t.category !== 'done' || done === null || done < start || done >= end) continue
        if (began === undefined || began > done) continue // never went through in_progress
        rows.push({
          taskId: t.task_id,
          title: t.title,
          startedAt: new Date(began).toISOString(),
          completedAt: new Date(done).toISOString(),
          cycleTimeMs: done - began,
        })
      }
      rows.sort(
        (a, b) => a.completedAt.localeCompare(b.completedAt) || a.taskId.localeCompare(b.taskId),
      )
      const sorted = rows.map((r) => r.cycleTimeMs).sort((a, b) => a - b)
      const median = percentile(sorted, 0.5)
      const p85 = percentile(sorted, 0.85)
      return {
        ...range,
        count: rows.length,
        medianMs: median,
        p85Ms: p85,
        medianDays: median === null ? null : median / DAY,
        p85Days: p85 === null ? null : p85 / DAY,
        tasks: rows,
      }
    },

    async workload(projectId: string, timeZone: string, groupBy?: string) {
      const today = localDate(now(), timeZone)
      let groups: Workload['groups']
      if (groupBy?.startsWith('field:')) {
        const open = (await q.liveTasksOf(db, projectId)).filter((t) => t.category !== 'done')
        const found = await selectGroups(
          projectId,
          groupBy,
          open.map((t) => t.task_id),
        )
        const info = new Map(open.map((t) => [t.task_id, t]))
        groups = found.map(({ taskIds, ...g }) => {
          let openEstimate = 0
          let overdue = 0
          for (const id of taskIds) {
            const t = info.get(id)!
            openEstimate += t.estimate ?? 0
            if (t.due_date !== null && t.due_date < today) overdue++
          }
          return { ...g, openTasks: taskIds.size, openEstimate: round(openEstimate), overdue }
        })
      }
      const rows = await q.openAssignments(db, projectId)
      const by = new Map<
        string,
        {
          userId: string
          name: string | null
          openTasks: number
          openEstimate: number
          overdue: number
        }
      >()
      for (const r of rows) {
        let w = by.get(r.user_id)
        if (!w) {
          w = { userId: r.user_id, name: r.name, openTasks: 0, openEstimate: 0, overdue: 0 }
          by.set(r.user_id, w)
        }
        w.openTasks++
        w.openEstimate += r.estimate ?? 0
        if (r.due_date !== null && r.due_date < today) w.overdue++
      }
      return {
        timeZone,
        assignees: [...by.values()].sort(
          (a, b) => b.openTasks - a.openTasks || a.userId.localeCompare(b.userId),
        ),
        ...(groups ? { groupBy, groups } : {}),
      }
    },

    async myTasks(userId: string, timeZone: string, limit: number) {
      const today = localDate(now(), timeZone)
      const rows = await q.openTasksOfUser(db, userId, limit)
      return {
        timeZone,
        tasks: rows.map((r) => ({
          projectId: r.project_id,
          projectName: r.project_name,
          taskId: r.task_id,
          parentId: r.parent_id,
          title: r.title,
          columnName: r.column_name,
          category: r.category,
          priority: r.priority,
          dueDate: r.due_date,
          estimate: r.estimate,
          overdue: r.due_date !== null && r.due_date < today,
        })),
      }
    },
  }
}

export type ReportsService = ReturnType<typeof createReportsService>
