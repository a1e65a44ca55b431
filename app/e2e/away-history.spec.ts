import { type Account, api, expect, type RunningServer, saveScreenshot, test } from './fixtures'
import { TaskPanel } from './page-models/task-panel'

// Generous: the summary is read after the board syncs, and CI machines are shared.
const LIVE = { timeout: 20_000 }

interface Summary {
  tasks: Array<{ title: string; changes: unknown[] }>
}

/** What the server will tell Ada, polled until others' edits are derived (written shortly after they are stored). */
async function awayOf(server: RunningServer, who: Account, projectId: string, tasks: number) {
  let last: Summary | null = null
  await expect(async () => {
    last = await api<Summary>(server, who, `/projects/${projectId}/away`)
    expect(last.tasks).toHaveLength(tasks)
  }).toPass({ timeout: 10_000 })
  return last!
}

test('while you were away: Bob edits while Ada’s page is closed; Ada comes back to exactly those changes marked and summarised', async ({
  server,
  sharedBoards,
}) => {
  // A long flow of two people (away, history, restore): more than one ordinary test's time.
  test.setTimeout(240_000)
  const {
    projectId,
    owner: ada,
    teammate: bob,
    accounts: { owner: adaAccount, teammate: bobAccount },
  } = await sharedBoards('Launch', 'Ada', { name: 'Bob', role: 'member' })

  // Ada's first visit: the board syncs and her visit is recorded.
  const visited = ada.page.waitForResponse(
    (r) => r.url().endsWith(`/projects/${projectId}/visit`) && r.status() === 200,
  )
  await ada.goto(projectId)
  const firstVisit = ((await (await visited).json()) as { visitedAt: string }).visitedAt
  await ada.addTasks('To do', ['Write copy', 'Fix bug', 'Plan party', 'Old idea'])
  await ada.waitSaved()
  await expect(ada.page.getByTestId('away-panel')).toHaveCount(0)
  // Ada leaves: her page is gone (her own edits are never news to her, whenever she left).
  await ada.page.goto('about:blank')
  expect(firstVisit).toMatch(/^\d{4}-/)

  await bob.goto(projectId)
  await expect(bob.card('Old idea')).toBeVisible(LIVE)
  await bob.dragTask('Write copy', 'In progress')
  await expect(bob.column('In progress').getByText('Write copy')).toBeVisible()
  await bob.openTask('Fix bug')
  const panel = new TaskPanel(bob.page)
  await panel.title.fill('Fix the login bug')
  await panel.setPriority('High')
  await panel.close()
  await bob.openTask('Old idea')
  await panel.moveToTrash()
  await expect(bob.card('Old idea')).toHaveCount(0)
  await bob.waitSaved()
  // Bob's own summary never lists his own edits.
  await awayOf(server, adaAccount, projectId, 3)
  expect((await api<Summary>(server, bobAccount, `/projects/${projectId}/away`)).tasks).toEqual([])

  // Ada comes back.
  await ada.goto(projectId)
  const away = ada.page.getByTestId('away-panel')
  await expect(away).toBeVisible(LIVE)
  await expect(away.getByTestId('away-headline')).toHaveText('Bob changed 3 cards')
  const items = away.getByTestId('away-item')
  await expect(items).toHaveCount(3)
  await expect(items).toHaveText([
    'Bob moved “Old idea” to the trash',
    'Bob renamed “Fix bug” to “Fix the login bug”; Bob changed its priority from none to high',
    'Bob moved “Write copy” from To do to In progress',
  ])
  // Exactly the cards Bob changed are marked (the trashed one is off the board).
  const marked = ada.page.locator('[data-testid="task-card"][data-away]')
  await expect(marked).toHaveCount(2)
  await expect(marked.getByTestId('task-title')).toHaveText(['Fix the login bug', 'Write copy'])
  await expect(ada.card('Plan party')).not.toHaveAttribute('data-away')
  await saveScreenshot(ada.page, 'while-you-were-away')

  // The list view marks the same cards.
  await ada.page.getByTestId('view-tab-list').click()
  const rows = ada.page.locator('[data-testid="list-row"][data-away]')
  await expect(rows).toHaveCount(2)
  await ada.page.getByTestId('view-tab-board').click()

  // An entry opens its card.
  await items.filter({ hasText: 'Write copy' }).click()
  const adaPanel = new TaskPanel(ada.page)
  await expect(adaPanel.title).toHaveValue('Write copy')
  await adaPanel.close()

  // History: from the summary into the step where Bob's changes begin, his cards marked.
  await away.getByRole('button', { name: 'Show in history' }).click()
  const history = ada.page.getByTestId('history-mode')
  await expect(history).toBeVisible()
  // Bob's edits within a minute are one step; on a slow machine his first may stand alone.
  await expect(ada.page.getByTestId('history-step')).toContainText('Bob changed')
  const stepMarked = ada.page.locator('[data-testid="task-card"][data-step-change]')
  await expect(stepMarked.filter({ hasText: 'Write copy' })).toHaveCount(1)
  await expect(stepMarked.filter({ hasText: 'Plan party' })).toHaveCount(0)
  // One step back: the board before Bob, read-only, with the card he trashed.
  await ada.page.getByRole('button', { name: 'Previous step' }).click()
  await expect(ada.page.getByTestId('history-step')).toContainText('Ada')
  await expect(ada.column('To do').getByTestId('task-title')).toHaveText([
    'Write copy',
    'Fix bug',
    'Plan party',
    'Old idea',
  ])
  await saveScreenshot(ada.page, 'history-mode')
  // Restoring it is a new edit by Ada that reaches Bob.
  const gone = ada.page.getByTestId('history-gone')
  await gone.getByRole('button', { name: 'Restore “Old idea”' }).click()
  await expect(ada.page.getByTestId('history-note')).toHaveText('Restored “Old idea”.')
  await expect(bob.card('Old idea')).toBeVisible(LIVE)
  // Esc leaves history: the live board again, with the card back.
  await ada.page.keyboard.press('Escape')
  await expect(history).toHaveCount(0)
  await expect(ada.card('Old idea')).toBeVisible(LIVE)

  // The task panel's History tab lists each field's versions with who set them.
  await ada.openTask('Fix the login bug')
  await ada.page.getByTestId('task-tab-history').click()
  const titles = ada.page.locator('[data-testid="task-version"][data-field="title"]')
  await expect(titles).toHaveCount(2)
  await expect(titles.first()).toContainText('Bob')
  await expect(titles.first().getByTestId('version-value')).toHaveText('Fix the login bug')
  await expect(titles.last().getByTestId('version-value')).toHaveText('Fix bug')
  await adaPanel.close()

  // A reload keeps the summary until it is dismissed; dismissing marks the board visited.
  await ada.page.reload()
  await expect(away.getByTestId('away-item')).toHaveCount(3, LIVE)
  const dismissed = ada.page.waitForResponse((r) => r.url().endsWith('/visit'))
  await away.getByTestId('away-dismiss').click()
  await dismissed
  await expect(away).toHaveCount(0)
  await expect(marked).toHaveCount(0)
  await ada.page.reload()
  await ada.board.waitFor()
  await ada.waitSaved()
  await expect(ada.page.getByTestId('away-panel')).toHaveCount(0)
  expect((await api<Summary>(server, adaAccount, `/projects/${projectId}/away`)).tasks).toEqual([])
})
