import { expect, PASSWORD, test, uniqueEmail } from './fixtures'
import { AuthPage } from './page-models/auth-page'
import { BoardPage } from './page-models/board-page'
import { ProjectsPage } from './page-models/projects-page'
import { MyTasksPage, ReportsPage } from './page-models/reports-page'
import { TaskPanel } from './page-models/task-panel'

// The server projects edits into SQL shortly after they arrive and the page refetches a
// second after the document changes (with a confirming look 5 s later); on a busy
// 2-core machine give those a generous bound instead of sleeping.
const REPORTS_SETTLE = { timeout: 20_000 }

// The report endpoints are mounted, but the server does not run the projector on synced
// edits yet (sync-server/src/reports/projector.ts is not wired into the sync rooms), so
// every figure reads 0. Remove this line once board edits reach the projection tables.
test.fixme(true, 'waits for the server to project synced board edits into SQL (issue 6)')

test('reports follow tasks through the columns, keep the last figures offline, and My tasks lists what is assigned to me', async ({
  page,
  context,
}) => {
  await new AuthPage(page).signUp({ name: 'Ada', email: uniqueEmail('ada'), password: PASSWORD })
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

  await board.openReports()
  const reports = new ReportsPage(page)
  await expect(reports.tile('Done')).toHaveText('1', REPORTS_SETTLE)
  await expect(reports.tile('Completed last 7 days')).toHaveText('1', REPORTS_SETTLE)
  await expect(reports.tile('In progress')).toHaveText('1')
  await expect(reports.tile('To do')).toHaveText('2')
  await expect(reports.tile('Overdue')).toHaveText('1')
  await expect(reports.chart('throughput').locator('.recharts-bar-rectangle').first()).toBeVisible()
  await expect(reports.chart('cycle-time')).toContainText('1 task ·')
  await expect(reports.chart('workload').getByTestId('chart-empty')).toHaveCount(0)

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

  const csv = await reports.downloadCsv('Cumulative flow')
  expect(csv.filename).toMatch(
    /^spring-launch-cumulative-flow-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/,
  )
  const lines = csv.text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
  expect(lines[0]).toBe('date,todo,in_progress,done')
  expect(lines).toHaveLength(31) // header + the last 30 days
  expect(lines.at(-1)).toMatch(/^\d{4}-\d{2}-\d{2},2,0,2$/)

  await context.setOffline(true)
  await expect(reports.offlineNotice).toContainText('Reports need the server')
  await expect(reports.tile('Done')).toHaveText('2')
  await context.setOffline(false)
  await expect(reports.offlineNotice).toBeHidden()

  const myTasks = new MyTasksPage(page)
  await myTasks.open()
  await expect.poll(() => myTasks.titles()).toEqual(['Plan launch'])
  await expect(myTasks.task('Plan launch')).toHaveAttribute('data-overdue', 'true')
  await expect(myTasks.task('Plan launch')).toContainText('Spring launch')
  await myTasks.task('Plan launch').getByRole('link').click()
  await expect(page).toHaveURL(/\/projects\/[^/]+\/tasks\/[^/]+$/)
  await expect(panel.title).toHaveValue('Plan launch')
})
