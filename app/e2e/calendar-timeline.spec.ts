import { expect, saveScreenshot, test } from './fixtures'
import { TaskPanel } from './page-models/task-panel'

// Live = without a reload. How fast is a benchmark's question (docs/benchmarks.md, fan-out
// latency), not a test's: a loaded machine must not fail a correct build.
const LIVE = { timeout: 15_000 }

test('calendar: a task dragged from the tray and then to another day reaches the teammate live; one undo step', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: a,
    teammate: b,
  } = await sharedBoards('Cal', 'Ada', {
    name: 'Bob',
    role: 'member',
  })
  await a.goto(projectId)
  await b.goto(projectId)
  await a.addTasks('To do', ['Ship release', 'Plan party'])
  await expect(b.card('Plan party')).toBeVisible(LIVE)

  // Without a date in the URL the calendar shows this month with today marked.
  await a.page.getByTestId('view-tab-calendar').click()
  await expect(a.page.locator('[data-testid="calendar-day"][aria-current="date"]')).toHaveCount(1)

  const url = `/projects/${projectId}?view=calendar&date=2030-01-15`
  await a.page.goto(url)
  await b.page.goto(url)
  const tray = a.page.getByTestId('calendar-tray')
  await expect(tray.getByTestId('calendar-task')).toHaveCount(2)
  const day = (p: typeof a.page, date: string) =>
    p.locator(`[data-testid="calendar-day"][data-date="${date}"]`)
  const chipOn = (p: typeof a.page, due: string) =>
    p.locator(`[data-testid="calendar-task"][data-due="${due}"]`)

  // From the unscheduled tray onto Jan 10.
  await tray.getByRole('button', { name: 'Ship release' }).dragTo(day(a.page, '2030-01-10'))
  await expect(chipOn(b.page, '2030-01-10')).toHaveText('Ship release', LIVE)
  await expect(b.page.getByTestId('calendar-tray').getByTestId('calendar-task')).toHaveCount(1)

  // From Jan 10 to Jan 17.
  await chipOn(a.page, '2030-01-10').dragTo(day(a.page, '2030-01-17'))
  await expect(chipOn(b.page, '2030-01-17')).toHaveText('Ship release', LIVE)
  await expect(chipOn(b.page, '2030-01-10')).toHaveCount(0)

  // The keyboard reschedules too: Alt+→ is one day later.
  await chipOn(a.page, '2030-01-17').focus()
  await a.page.keyboard.press('Alt+ArrowRight')
  await expect(chipOn(b.page, '2030-01-18')).toHaveText('Ship release', LIVE)

  await saveScreenshot(a.page, 'calendar-view')

  // The view state is in the URL: week mode, and the first day of the week overridden.
  await a.page.getByTestId('date-choice-week').click()
  await expect(a.page).toHaveURL(/cal=week/)
  await a.page.getByTestId('week-starts-on').selectOption('0')
  await expect(a.page).toHaveURL(/wso=0/)
  await expect(a.page.getByTestId('calendar-day').first()).toHaveAttribute(
    'data-date',
    '2030-01-13',
  )

  // Each drop was one undo step: undo twice brings it back to Jan 17 then Jan 10.
  await a.page.locator('body').click({ position: { x: 5, y: 5 } })
  await a.undo()
  await expect(chipOn(b.page, '2030-01-17')).toHaveText('Ship release', LIVE)
  await a.undo()
  await expect(chipOn(b.page, '2030-01-10')).toHaveText('Ship release', LIVE)

  // Clicking a task opens the task panel, as in the other views.
  await chipOn(b.page, '2030-01-10').click()
  await expect(new TaskPanel(b.page).root.getByLabel('Due date')).toHaveValue('2030-01-10')
})

test('timeline: resizing a bar’s end and dragging the bar change the dates the teammate sees live', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: a,
    teammate: b,
  } = await sharedBoards('Gantt', 'Ada', {
    name: 'Bob',
    role: 'member',
  })
  await a.goto(projectId)
  await b.goto(projectId)
  await a.addTasks('To do', ['Design', 'No dates yet'])
  await a.openTask('Design')
  await new TaskPanel(a.page).setDueDate('2030-01-10')

  await b.openTask('Design')
  const bDue = new TaskPanel(b.page).root.getByLabel('Due date')
  await expect(bDue).toHaveValue('2030-01-10', LIVE)

  await a.page.goto(`/projects/${projectId}?view=timeline&zoom=day&date=2030-01-10&group=status`)
  const bar = a.page.locator('[data-testid="timeline-bar"]').filter({ hasText: 'Design' })
  await expect(bar).toHaveAttribute('data-due', '2030-01-10')
  await expect(a.page.getByTestId('timeline-group')).toHaveCount(1)
  await expect(a.page.getByTestId('timeline-undated')).toContainText('1 task')

  // Resize: pull the end three days (40 px a day at day zoom).
  const handle = bar.getByTestId('timeline-resize-end')
  const box = (await handle.boundingBox())!
  await a.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await a.page.mouse.down()
  await a.page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 4 })
  await a.page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2, { steps: 4 })
  await a.page.mouse.up()
  await expect(bDue).toHaveValue('2030-01-13', LIVE)
  await expect(bar).toHaveAttribute('data-start', '2030-01-10')

  // Move: drag the whole bar two days earlier; both dates move.
  const barBox = (await bar.boundingBox())!
  const y = barBox.y + barBox.height / 2
  await a.page.mouse.move(barBox.x + barBox.width / 2, y)
  await a.page.mouse.down()
  await a.page.mouse.move(barBox.x + barBox.width / 2 - 40, y, { steps: 4 })
  await a.page.mouse.move(barBox.x + barBox.width / 2 - 80, y, { steps: 4 })
  await a.page.mouse.up()
  await expect(bDue).toHaveValue('2030-01-11', LIVE)
  await expect(bar).toHaveAttribute('data-start', '2030-01-08')
  await expect(a.page.getByTestId('timeline-view')).toHaveAttribute('data-zoom', 'day')
  await saveScreenshot(a.page, 'timeline-view')
})
