import type { ImportSkipped, TrelloBoard } from '@taskflow/api'
import {
  type ColumnCategory,
  MAX_BOARD_DESCRIPTION,
  MAX_CHECKLIST_TEXT,
  MAX_COMMENT,
  MAX_DESCRIPTION,
  MAX_LABEL_NAME,
  MAX_NAME,
  MAX_TITLE,
  stripUnsafeNameChars,
} from '@taskflow/board'
import type { ImportPlan, PlannedTask } from './import-plan.js'

/**
 * Trello's label colours (board JSON `labels[].color`, with `_light`/`_dark` shades since
 * 2023) as our palette. A label without a colour gets the neutral slate.
 */
export const TRELLO_COLORS: Readonly<Record<string, string>> = {
  green: '#22c55e',
  yellow: '#eab308',
  orange: '#f97316',
  red: '#ef4444',
  purple: '#a855f7',
  blue: '#3b82f6',
  sky: '#0ea5e9',
  lime: '#84cc16',
  pink: '#ec4899',
  black: '#334155',
}
const NO_COLOR = '#64748b'

const DONE_NAME = /\b(done|complete[d]?|finished|closed|shipped|released|erledigt|fertig)\b/i
const DOING_NAME = /\b(doing|in progress|progress|wip|review|testing|qa|started)\b/i

/** A list's category, from its name: "Done"-like lists complete their cards. */
export function categoryOfList(name: string): ColumnCategory {
  if (DONE_NAME.test(name)) return 'done'
  if (DOING_NAME.test(name)) return 'in_progress'
  return 'todo'
}

// Trello ids are MongoDB ObjectIds: the first 8 hex digits are the creation time in seconds.
function createdAtOfId(id: string): number | null {
  if (!/^[0-9a-f]{24}$/i.test(id)) return null
  return Number.parseInt(id.slice(0, 8), 16) * 1000
}

function epoch(value: string | null | undefined): number | null {
  if (!value) return null
  const t = Date.parse(value)
  return Number.isFinite(t) ? t : null
}

// A card's due/start instant as the calendar date Trello shows in UTC.
function dateOnly(value: string | null | undefined): string | null {
  const t = epoch(value)
  return t === null ? null : new Date(t).toISOString().slice(0, 10)
}

function byPos<T extends { pos?: number; id?: string }>(a: T, b: T): number {
  return (a.pos ?? 0) - (b.pos ?? 0) || String(a.id ?? '').localeCompare(String(b.id ?? ''))
}

function clip(value: string, max: number, item: string, what: string, skipped: ImportSkipped[]) {
  if (value.length <= max) return value
  skipped.push({ item, reason: `${what} cut to ${max} characters (was ${value.length})` })
  return value.slice(0, max)
}

function singleLine(value: string, fallback: string): string {
  const s = stripUnsafeNameChars(value)
  return s.length > 0 ? s : fallback
}

const short = (id: string) => id.slice(-6)

/**
 * Reads a Trello board export into an import plan. Pure: no I/O, no clock.
 *
 * Rules (docs/api.md "Import and export"): open lists become columns in Trello's order,
 * named "done"-like lists done columns; cards become tasks in `pos` order; an archived card,
 * or a card of an archived list, goes to the trash; `due`/`start` become dates (UTC);
 * `dueComplete` cards stay in their list (a done column completes them); labels keep
 * name and colour; checklists become the task's checklist (items prefixed by their
 * checklist's name when a card has several); `commentCard` actions become comments by the
 * importer that start "Originally by NAME on DATE"; members with an e-mail in the export
 * become assignees when an account has it, others are named in the description, as are
 * attachments (name and URL; files are not downloaded).
 */
export function trelloPlan(board: TrelloBoard): ImportPlan {
  const skipped: ImportSkipped[] = []
  const lists = [...board.lists].sort(byPos)
  const openLists = lists.filter((l) => !l.closed)
  const closedLists = new Set(lists.filter((l) => l.closed).map((l) => l.id))
  for (const l of lists) {
    if (l.closed) {
      skipped.push({
        item: `list "${l.name}"`,
        reason: 'archived in Trello: not made a column; its cards are in the trash',
      })
    }
  }
  const columns = openLists.map((l) => ({
    key: l.id,
    name: clip(singleLine(l.name, 'Untitled list'), MAX_NAME, `list "${l.name}"`, 'name', skipped),
    category: categoryOfList(l.name),
    wipLimit: null,
  }))

  const labels = (board.labels ?? []).map((l) => {
    const base = (l.color ?? '').replace(/_(light|dark)$/, '')
    const colorName = base.length > 0 ? base[0]!.toUpperCase() + base.slice(1) : 'Label'
    const name = singleLine(l.name ?? '', colorName)
    return {
      key: l.id,
      name: clip(name, MAX_LABEL_NAME, `label "${name}"`, 'name', skipped),
      color: TRELLO_COLORS[base] ?? NO_COLOR,
    }
  })

  const members = new Map((board.members ?? []).map((m) => [m.id, m]))
  const memberName = (id: string) => {
    const m = members.get(id)
    if (!m) return `unknown member ${id}`
    const name = m.fullName || m.username || id
    return m.username && m.fullName ? `${name} (@${m.username})` : name
  }
  const people = [...members.values()]
    .filter((m) => typeof m.email === 'string' && m.email.includes('@'))
    .map((m) => ({ email: m.email!.toLowerCase(), role: 'member' as const }))

  const checklistsByCard = new Map<string, NonNullable<TrelloBoard['checklists']>>()
  for (const cl of board.checklists ?? []) {
    const list = checklistsByCard.get(cl.idCard)
    if (list) list.push(cl)
    else checklistsByCard.set(cl.idCard, [cl])
  }

  const commentsByCard = new Map<string, NonNullable<TrelloBoard['actions']>>()
  for (const a of board.actions ?? []) {
    if (a.type !== 'commentCard') continue
    const cardId = a.data?.card?.id
    if (!cardId) continue
    const list = commentsByCard.get(cardId)
    if (list) list.push(a)
    else commentsByCard.set(cardId, [a])
  }

  const listIds = new Set(lists.map((l) => l.id))
  const tasks: Array<PlannedTask & { trelloId: string }> = []
  for (const card of [...board.cards].sort(byPos)) {
    const ref = `card "${card.name.slice(0, 60)}" (${short(card.id)})`
    if (!listIds.has(card.idList)) {
      skipped.push({ item: ref, reason: `its list ${card.idList} is not in the export` })
      continue
    }
    const lastActivity = epoch(card.dateLastActivity)
    const createdAt = createdAtOfId(card.id) ?? lastActivity ?? 0
    const updatedAt = Math.max(createdAt, lastActivity ?? createdAt)
    const archived = card.closed === true || closedLists.has(card.idList)

    let title = singleLine(card.name, 'Untitled card')
    if (title.length > MAX_TITLE) {
      title = clip(title, MAX_TITLE, ref, 'title', skipped)
    }

    const extra: string[] = []
    const emails: string[] = []
    const unnamed: string[] = []
    for (const id of card.idMembers ?? []) {
      const email = members.get(id)?.email
      if (email?.includes('@')) emails.push(email.toLowerCase())
      else unnamed.push(memberName(id))
    }
    if (unnamed.length > 0) extra.push(`Trello members: ${unnamed.join(', ')}`)
    if (card.dueComplete && card.due && categoryOfList(listName(lists, card.idList)) !== 'done') {
      extra.push('Trello: due date marked complete')
    }
    const attachments = (card.attachments ?? []).filter((a) => a.url || a.name)
    if (attachments.length > 0) {
      extra.push(
        [
          'Attachments:',
          ...attachments.map((a) => `- ${a.name || a.url}: ${a.url ?? ''}`.trim()),
        ].join('\n'),
      )
    }
    const description = clip(
      [card.desc ?? '', ...extra].filter((s) => s.length > 0).join('\n\n'),
      MAX_DESCRIPTION,
      ref,
      'description',
      skipped,
    )

    let startDate = dateOnly(card.start)
    const dueDate = dateOnly(card.due)
    if (startDate && dueDate && startDate > dueDate) {
      skipped.push({ item: ref, reason: `start date ${startDate} is after the due date: dropped` })
      startDate = null
    }

    const cardChecklists = (checklistsByCard.get(card.id) ?? []).sort(byPos)
    const checklist = cardChecklists.flatMap((cl) =>
      [...(cl.checkItems ?? [])].sort(byPos).flatMap((item) => {
        const prefix = cardChecklists.length > 1 && cl.name ? `${singleLine(cl.name, '')}: ` : ''
        const text = singleLine(`${prefix}${item.name}`, '')
        if (text.length === 0) {
          skipped.push({ item: `${ref}: checklist item`, reason: 'empty text' })
          return []
        }
        return [
          {
            text: clip(text, MAX_CHECKLIST_TEXT, `${ref}: checklist item`, 'text', skipped),
            done: item.state === 'complete',
          },
        ]
      }),
    )

    const comments = (commentsByCard.get(card.id) ?? [])
      .map((a) => ({ a, at: epoch(a.date) ?? createdAt }))
      .sort((x, y) => x.at - y.at)
      .flatMap(({ a, at }) => {
        const text = a.data?.text ?? ''
        if (text.trim().length === 0) {
          skipped.push({ item: `${ref}: comment`, reason: 'empty text' })
          return []
        }
        const author =
          a.memberCreator?.fullName ||
          a.memberCreator?.username ||
          (a.idMemberCreator ? memberName(a.idMemberCreator) : 'unknown')
        const body = `Originally by ${author} on ${new Date(at).toISOString()} (Trello):\n\n${text}`
        return [
          { body: clip(body, MAX_COMMENT, `${ref}: comment`, 'text', skipped), createdAt: at },
        ]
      })

    tasks.push({
      ref,
      trelloId: card.id,
      columnKey: card.idList,
      title,
      description,
      dueDate,
      startDate,
      labelKeys: card.idLabels ?? [],
      assigneeEmails: emails,
      createdAt,
      updatedAt,
      completedAt: lastActivity ?? updatedAt,
      deletedAt: archived ? updatedAt : null,
      checklist,
      comments,
    })
  }
  // Checklists and comments of cards the export does not hold (deleted cards keep their
  // actions in the history) are named, not dropped silently.
  const imported = new Set(tasks.map((t) => t.trelloId))
  for (const [cardId, lists] of checklistsByCard) {
    if (imported.has(cardId)) continue
    for (const cl of lists) {
      skipped.push({
        item: `checklist "${cl.name ?? ''}"`,
        reason: `its card ${cardId} is not imported`,
      })
    }
  }
  for (const [cardId, actions] of commentsByCard) {
    if (imported.has(cardId)) continue
    skipped.push({
      item: `${actions.length} comment(s) on card ${cardId}`,
      reason: 'the card is not in the export',
    })
  }
  // Trello's board description is long-form; ours is a short summary.
  const description = clip(board.desc ?? '', MAX_BOARD_DESCRIPTION, 'board', 'description', skipped)
  return {
    name: clip(singleLine(board.name, 'Trello board'), MAX_NAME, 'board', 'name', skipped),
    description,
    columns,
    labels,
    tasks: tasks.map(({ trelloId: _, ...t }) => t),
    people,
    skipped,
    markdownDescriptions: true,
  }
}

function listName(lists: TrelloBoard['lists'], id: string): string {
  return lists.find((l) => l.id === id)?.name ?? ''
}
