import {
  createSharedProject,
  expect,
  publishScreenshots,
  saveScreenshot,
  test,
  untilAvailableOffline,
} from './fixtures'
import { BoardPage } from './page-models/board-page'
import { TaskPanel } from './page-models/task-panel'
import { ViewsBar } from './page-models/views-bar'

// Live = without a reload. How fast is a benchmark's question (docs/benchmarks.md, fan-out
// latency), not a test's: a loaded machine must not fail a correct build.
const LIVE = { timeout: 15_000 }

test('filter "mine" shows my tasks with a removable chip, counts reflect it, and the URL reproduces it', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: a,
    teammate: b,
  } = await sharedBoards('Filters', 'Ada', {
    name: 'Bob',
    role: 'member',
  })
  await a.goto(projectId)
  await a.addTasks('To do', ['Ada one', 'Bob one', 'Ada two'])
  // Assign through the list view's inline editors.
  const bar = new ViewsBar(a.page)
  await bar.tab('list').click()
  await a.page.getByTestId('list-view').waitFor()
  for (const title of ['Ada one', 'Ada two']) {
    await bar.edit(bar.row(title), 'assignee')
    await a.page.getByRole('menuitemcheckbox', { name: 'Ada' }).click()
    await a.page.keyboard.press('Escape')
  }
  await bar.tab('board').click()
  await a.board.waitFor()

  await bar.filterBy('assignee', 'Me')
  await expect(bar.chip('assignee')).toHaveText(/Assignee:\s*Me/)
  await expect.poll(() => a.cardTitlesIn('To do')).toEqual(['Ada one', 'Ada two'])
  const count = a.column('To do').getByTestId('column-count')
  await expect(count).toHaveText('2')
  await expect(count).toHaveAttribute('data-total', '3')

  // The URL carries the filter: a teammate opening it sees their own tasks ("me" is them).
  const url = a.page.url()
  expect(url).toContain('assignee=')
  await b.page.goto(url)
  await b.board.waitFor()
  await expect(new ViewsBar(b.page).chip('assignee')).toBeVisible()
  await expect.poll(() => b.cardTitlesIn('To do')).toEqual([])

  // Combined with text, then chips removed one by one.
  await bar.filterText('two')
  await expect.poll(() => a.cardTitlesIn('To do')).toEqual(['Ada two'])
  await saveScreenshot(a.page, 'filter-chips')
  publishScreenshots('filter-chips')
  await bar.chip('assignee').getByRole('button', { name: 'Remove Assignee filter' }).click()
  await expect(bar.chips).toHaveCount(0)
  await expect.poll(() => a.cardTitlesIn('To do')).toEqual(['Ada two'])
  await a.page.getByTestId('filter-clear').click()
  await expect.poll(() => a.cardTitlesIn('To do')).toEqual(['Ada one', 'Bob one', 'Ada two'])
})

test('an inline edit in the list view reaches the teammate’s board live, and is one undo step', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: a,
    teammate: b,
  } = await sharedBoards('List', 'Ada', {
    name: 'Bob',
    role: 'member',
  })
  await a.goto(projectId)
  await b.goto(projectId)
  await a.addTasks('To do', ['Write brief', 'Call client'])
  await expect(b.card('Call client')).toBeVisible(LIVE)

  const bar = new ViewsBar(a.page)
  await bar.tab('list').click()
  await expect.poll(() => bar.listTitles()).toEqual(['Write brief', 'Call client'])

  // Title, priority and status, each edited in its cell.
  const brief = await bar.rowOf('Write brief')
  await bar.edit(brief, 'title')
  const title = brief.getByLabel('Title')
  await title.fill('Write the brief')
  await title.press('Enter')
  await expect(b.card('Write the brief')).toBeVisible(LIVE)
  await bar.edit(brief, 'priority')
  await brief.getByLabel('Priority').selectOption('urgent')
  await expect(b.card('Write the brief')).toContainText(/urgent/i, LIVE)
  const call = await bar.edit(bar.row('Call client'), 'status')
  await call.getByLabel('Status').selectOption({ label: 'Done' })
  await expect.poll(() => b.cardTitlesIn('Done'), LIVE).toEqual(['Call client'])

  // A teammate's edit shows in the list at once.
  await b.openTask('Write the brief')
  await b.page.getByTestId('task-panel').getByLabel('Title').fill('Write the final brief')
  await expect(brief).toHaveAttribute('aria-label', 'Write the final brief', LIVE)

  // Sorting by title and grouping by status.
  await a.page.getByTestId('sort-title').click()
  await expect.poll(() => bar.listTitles()).toEqual(['Call client', 'Write the final brief'])
  await a.page.getByTestId('group-menu').click()
  await a.page.getByRole('menuitemradio', { name: 'Status (column)' }).click()
  await expect(a.page.getByTestId('list-group')).toHaveCount(3)
  await saveScreenshot(a.page, 'list-view')
  publishScreenshots('list-view')

  // One undo step: the move back to To do.
  await a.page.locator('body').click({ position: { x: 5, y: 5 } })
  await a.undo()
  await expect.poll(() => b.cardTitlesIn('Done'), LIVE).toEqual([])
})

test('a shared view saved offline reaches the teammate after reconnecting', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: a,
    teammate: b,
  } = await sharedBoards('Saved', 'Ada', {
    name: 'Bob',
    role: 'member',
  })
  await a.goto(projectId)
  await a.addTasks('To do', ['Urgent fix', 'Later'])
  await a.waitSaved()
  await b.goto(projectId)
  await expect(b.card('Later')).toBeVisible()

  await untilAvailableOffline(a.page)
  await a.page.context().setOffline(true)
  await expect(a.syncIndicator).toHaveText('Offline')
  const bar = new ViewsBar(a.page)
  await bar.tab('list').click()
  await bar.filterText('urgent')
  await expect.poll(() => bar.listTitles()).toEqual(['Urgent fix'])
  await bar.saveView('Urgent work', true)

  const bBar = new ViewsBar(b.page)
  await b.page.getByTestId('saved-views-menu').click()
  await expect(b.page.getByRole('menuitem', { name: 'Urgent work' })).toHaveCount(0)
  await b.page.keyboard.press('Escape')

  await a.page.context().setOffline(false)
  await expect(a.syncIndicator).toHaveText('All changes saved', { timeout: 15_000 })
  await expect(async () => {
    await b.page.getByTestId('saved-views-menu').click()
    try {
      await expect(b.page.getByRole('menuitem', { name: 'Urgent work' })).toBeVisible({
        timeout: 500,
      })
    } finally {
      await b.page.keyboard.press('Escape')
    }
  }).toPass({ timeout: 10_000 })
  await bBar.chooseView('Urgent work')
  await b.page.getByTestId('list-view').waitFor()
  await expect.poll(() => bBar.listTitles()).toEqual(['Urgent fix'])
  await expect(b.page.getByTestId('filter-text')).toHaveValue('urgent')
})

test('the "this week" filter ends the week where the view’s first day of the week says, as the calendar does', async ({
  server,
  register,
  signedInPage,
}) => {
  const ada = await register('Ada')
  const projectId = await createSharedProject(server, ada, 'Weeks', [])
  const board = new BoardPage((await signedInPage(ada)).page)
  const page = board.page
  await board.goto(projectId)
  await board.addTasks('To do', ['Due tomorrow'])
  // Today's weekday and tomorrow's date, in the browser's time zone (as the app reads them).
  const { dow, tomorrow } = await page.evaluate(() => {
    const d = new Date()
    const t = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1)
    const pad = (n: number) => String(n).padStart(2, '0')
    return {
      dow: d.getDay(),
      tomorrow: `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`,
    }
  })
  await board.openTask('Due tomorrow')
  const panel = new TaskPanel(page)
  await panel.setDueDate(tomorrow)
  await panel.close()

  const bar = new ViewsBar(page)
  await bar.filterBy('due', 'This week')
  await expect(bar.chip('due')).toBeVisible()
  const url = new URL(page.url())
  // A week starting today holds tomorrow; a week starting tomorrow ends today, so it does not.
  for (const [start, shown] of [
    [dow, ['Due tomorrow']],
    [(dow + 1) % 7, []],
  ] as const) {
    url.searchParams.set('wso', String(start))
    await page.goto(url.toString())
    await board.board.waitFor()
    await expect(bar.chip('due')).toBeVisible()
    await expect.poll(() => board.cardTitlesIn('To do')).toEqual(shown)
  }
})
