import {
  expect,
  PASSWORD,
  publishScreenshots,
  saveScreenshot,
  test,
  uniqueEmail,
  untilAvailableOffline,
} from './fixtures'
import { AuthPage } from './page-models/auth-page'
import { BoardPage } from './page-models/board-page'
import { ProjectsPage } from './page-models/projects-page'
import { MyTasksPage, ReportsPage } from './page-models/reports-page'
import { TaskPanel } from './page-models/task-panel'

// The server projects edits into SQL shortly after they arrive and the page refetches a
// second after the document changes (with a confirming look 5 s later); on a busy
// 2-core machine give those a generous bound instead of sleeping.
const REPORTS_SETTLE = { timeout: 20_000 }

test('reports follow tasks through the columns, keep the last figures offline, and My tasks lists what is assigned to me', async ({
  server,
  page,
  context,
}) => {
  await new AuthPage(page, server).signUp({
    name: 'Ada',
    email: uniqueEmail('ada'),
    password: PASSWORD,
  })
  const projects = new ProjectsPage(page)
  await projects.create('Spring launch')
  await projects.open('Spring launch')

  const board = new BoardPage(page)
  await board.board.waitFor()
  await board.addTasks('To do', ['Design logo', 'Write copy', 'Set up CI', 'Plan launch'])
  await board.dragTask('Design logo', 'In progress')
  await expect.poll(() => board.cardTitlesIn('In progress')).toEqual(['Design logo'])
  await board.dragTask('Design logo', 'Done')
  await expect.poll(() => board.cardTitlesIn('Done')).toEqual(['Design logo'])
  await board.dragTask('Write copy', 'In progress')
  await expect.poll(() => board.cardTitlesIn('In progress')).toEqual(['Write copy'])

  await board.openTask('Plan launch')
  const panel = new TaskPanel(page)
  await panel.toggleAssignee('Ada')
  await panel.setDueDate('2020-01-15')
  await panel.close()
  await board.waitSaved()

  // Charts draw new figures at once instead of animating towards them (as for users who
  // ask for reduced motion), so the screenshot below shows the figures, not a frame between.
  await page.emulateMedia({ reducedMotion: 'reduce' })
  await board.openReports()
  const reports = new ReportsPage(page)
  await expect(reports.tile('Done')).toHaveText('1', REPORTS_SETTLE)
  await expect(reports.tile('Completed last 7 days')).toHaveText('1', REPORTS_SETTLE)
  await expect(reports.tile('In progress')).toHaveText('1')
  await expect(reports.tile('To do')).toHaveText('2')
  await expect(reports.tile('Overdue')).toHaveText('1')
  await expect(reports.chart('cycle-time')).toContainText('1 task ·', REPORTS_SETTLE)
  await expect(reports.chartMarks('throughput').first()).toBeVisible(REPORTS_SETTLE)
  await expect(reports.chartEmpty('workload')).toHaveCount(0)

  // A teammate's view of the same board (another tab): moving a task to Done there
  // updates the open Reports page without a reload.
  const boardTab = new BoardPage(await context.newPage())
  await boardTab.goto(board.projectId)
  await boardTab.dragTask('Write copy', 'Done')
  await expect.poll(() => boardTab.cardTitlesIn('Done')).toEqual(['Design logo', 'Write copy'])
  await boardTab.waitSaved()
  await expect(reports.tile('Done')).toHaveText('2', REPORTS_SETTLE)
  await expect(reports.tile('Completed last 7 days')).toHaveText('2', REPORTS_SETTLE)
  await expect(reports.tile('In progress')).toHaveText('0')
  await boardTab.page.close()

  // Every chart draws the figures, none shows its empty state.
  await expect(reports.chart('cycle-time')).toContainText('2 tasks ·', REPORTS_SETTLE)
  for (const id of ['cumulative-flow', 'burnup', 'throughput', 'cycle-time', 'workload']) {
    await expect(reports.chartEmpty(id)).toHaveCount(0)
    await expect(reports.chartMarks(id).first()).toBeVisible()
  }
  // The cycle-time axis names days once each (not the same date at every tick).
  const days = await reports.xAxisLabels('cycle-time')
  expect(days.length).toBeGreaterThan(1)
  expect(new Set(days).size).toBe(days.length)

  // Each chart asks the server on its own, so the file may come from a look just before the
  // tiles changed: download again until it has today's figures (a user would see them too).
  let csv = { filename: '', text: '' }
  const csvLines = () =>
    csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
  await expect
    .poll(async () => {
      csv = await reports.downloadCsv('Cumulative flow')
      return csvLines().at(-1)
    }, REPORTS_SETTLE)
    .toMatch(/^\d{4}-\d{2}-\d{2},2,0,2$/)
  expect(csv.filename).toMatch(
    /^spring-launch-cumulative-flow-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/,
  )
  // Every chart has today's figures now (they are drawn from what the files are made of).
  await reports.restPointer()
  await saveScreenshot(page, 'reports', { fullPage: true })
  const lines = csvLines()
  expect(lines[0]).toBe('date,todo,in_progress,done')
  expect(lines).toHaveLength(31) // header + the last 30 days
  expect(lines.at(-1)?.slice(0, 10)).toBe(csv.filename.slice(-14, -4)) // ends on the range's last day

  // Offline: the page says so and keeps the last figures, also after a reload.
  await untilAvailableOffline(page)
  await context.setOffline(true)
  await expect(reports.offlineNotice).toContainText('Reports need the server')
  await expect(reports.offlineNotice).toContainText('Showing the figures from')
  await expect(reports.tile('Done')).toHaveText('2')
  await expect(reports.refreshButton).toBeDisabled()
  await reports.reload()
  await expect(reports.offlineNotice).toContainText('Showing the figures from')
  await expect(reports.tile('Done')).toHaveText('2')
  await expect(reports.tile('Completed last 7 days')).toHaveText('2')
  await expect(reports.chartEmpty('cumulative-flow')).toHaveCount(0)
  await expect(reports.chartMarks('throughput').first()).toBeVisible()
  await context.setOffline(false)
  await expect(reports.offlineNotice).toBeHidden(REPORTS_SETTLE)
  await expect(reports.tile('Done')).toHaveText('2')

  const myTasks = new MyTasksPage(page)
  await myTasks.open()
  await expect.poll(() => myTasks.titles(), REPORTS_SETTLE).toEqual(['Plan launch'])
  await expect(myTasks.task('Plan launch')).toHaveAttribute('data-overdue', 'true')
  await expect(myTasks.task('Plan launch')).toContainText('Spring launch')
  await expect(myTasks.task('Plan launch')).toContainText('Overdue')
  await expect(myTasks.task('Plan launch')).toContainText('2020')
  await myTasks.task('Plan launch').getByRole('link').click()
  await expect(page).toHaveURL(/\/projects\/[^/]+\/tasks\/[^/]+$/)
  await expect(panel.title).toHaveValue('Plan launch')

  publishScreenshots('reports')
})
