// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react'
import { createElement } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ActivityEntry } from '../../api/collab.api'
import type { Member } from '../../api/schemas'
import { ClockProvider } from '../../ui/When'
import { ActivityList } from './ActivityList'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

const NOW = Date.UTC(2026, 10, 26, 12, 0)
const members = new Map<string, Member>([
  ['u1', { userId: 'u1', name: 'Ada', email: 'ada@example.com', role: 'member' }],
])

function entry(over: Partial<ActivityEntry>): ActivityEntry {
  return {
    id: String(Math.random()),
    taskId: 't1',
    userId: 'u1',
    userName: 'Ada',
    kind: 'comment_added',
    subject: 'c1',
    at: new Date(NOW - 5 * 60_000).toISOString(),
    lastAt: new Date(NOW - 5 * 60_000).toISOString(),
    data: {},
    ...over,
  } as ActivityEntry
}

function show(entries: ActivityEntry[], labels?: Map<string, { name: string }>) {
  const state = { entries, error: null, hasMore: false, loadMore: () => {}, loadingMore: false }
  return render(
    createElement(
      ClockProvider,
      { value: () => NOW },
      createElement(ActivityList, {
        projectId: 'p1',
        state,
        membersById: members,
        labelsById: labels,
        withTask: false,
      }),
    ),
  )
}

afterEach(cleanup)

describe('ActivityList', () => {
  it('renders a comment as sanitized markdown, with links and mention chips', async () => {
    // The list loads the markdown renderer lazily; loaded here first, so the assertions below
    // wait on React, not on how fast this machine compiles the markdown stack (it took > 1 s,
    // findBy's limit, on a loaded CI box).
    await import('../task/comment-markdown')
    show([
      entry({
        data: {
          taskTitle: 'T',
          excerpt: '**Ship** it <@u1>, see https://example.com <img src=x onerror=alert(1)>',
        },
      }),
    ])
    const comment = await screen.findByTestId('activity-comment')
    await within(comment).findByText('Ship')
    expect(comment.querySelector('strong')?.textContent).toBe('Ship')
    const link = within(comment).getByRole('link', { name: 'https://example.com' })
    expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow')
    expect(within(comment).getByTestId('mention-chip').textContent).toBe('@Ada')
    expect(comment.querySelector('img')).toBeNull()
    expect(comment.textContent).not.toContain('**')
  })

  it('names the label added, and says when in the viewer’s relative format', () => {
    show(
      [
        entry({
          kind: 'field_changed',
          subject: 'labels',
          data: { field: 'labels', added: ['l1'], removed: [] },
        }),
      ],
      new Map([['l1', { name: 'Bug' }]]),
    )
    const item = screen.getByTestId('activity-entry')
    expect(item.textContent).toContain('added label Bug')
    const time = item.querySelector('time')
    expect(time?.textContent).toBe(
      new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(-5, 'minute'),
    )
    expect(time?.getAttribute('dateTime')).toBe(new Date(NOW - 5 * 60_000).toISOString())
  })
})
