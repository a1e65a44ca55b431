import { expect, PASSWORD, publishScreenshots, saveScreenshot, test, uniqueEmail } from './fixtures'
import { AuthPage } from './page-models/auth-page'
import { BoardPage } from './page-models/board-page'
import { ProjectsPage } from './page-models/projects-page'
import { TaskPanel } from './page-models/task-panel'

test('a new user builds a board, moves and edits a task, and finds it all after a reload, and signing out clears the device', async ({
  server,
  page,
}) => {
  await new AuthPage(page, server).signUp({
    name: 'Ada',
    email: uniqueEmail('ada'),
    password: PASSWORD,
  })
  const projects = new ProjectsPage(page)
  await projects.create('Website relaunch')
  await projects.open('Website relaunch')

  const board = new BoardPage(page)
  await board.board.waitFor()
  await board.addColumn('Review')
  await board.addTasks('To do', ['Write copy', 'Pick photos', 'Draft sitemap'])
  await board.addTasks('Review', ['Check links'])
  await board.dragTask('Pick photos', 'Review')
  await expect.poll(() => board.cardTitlesIn('Review')).toEqual(['Check links', 'Pick photos'])
  await expect.poll(() => board.cardTitlesIn('To do')).toEqual(['Write copy', 'Draft sitemap'])
  // Keyboard only: down within a column, then right to the next column, and back.
  await board.keyboardMoveTask('Write copy', ['ArrowDown'])
  await expect.poll(() => board.cardTitlesIn('To do')).toEqual(['Draft sitemap', 'Write copy'])
  await board.keyboardMoveTask('Draft sitemap', ['ArrowRight'])
  await expect.poll(() => board.cardTitlesIn('In progress')).toEqual(['Draft sitemap'])
  await board.keyboardMoveTask('Draft sitemap', ['ArrowLeft'])
  await expect.poll(() => board.cardTitlesIn('In progress')).toEqual([])
  await expect
    .poll(async () => (await board.cardTitlesIn('To do')).sort())
    .toEqual(['Draft sitemap', 'Write copy'])
  if ((await board.cardTitlesIn('To do'))[0] !== 'Write copy') {
    await board.keyboardMoveTask('Write copy', ['ArrowUp'])
  }
  await expect.poll(() => board.cardTitlesIn('To do')).toEqual(['Write copy', 'Draft sitemap'])

  await board.openTask('Write copy')
  const panel = new TaskPanel(page)
  await panel.description.fill('Home, about and pricing pages.')
  await panel.setPriority('High')
  await panel.setDueDate('2030-01-15')
  await panel.addChecklistItems(['Home', 'Pricing'])
  await panel.checklistItem('Home').check()
  await panel.toggleAssignee('Ada')
  await expect(page).toHaveURL(/\/tasks\//)
  await saveScreenshot(page, 'task-panel')
  await panel.close()
  await board.waitSaved()
  await saveScreenshot(page, 'board')

  await page.reload()
  await board.board.waitFor()
  expect(await board.columnNames()).toEqual(['To do', 'In progress', 'Done', 'Review'])
  await expect.poll(() => board.cardTitlesIn('Review')).toEqual(['Check links', 'Pick photos'])
  const card = board.card('Write copy')
  await expect(card).toContainText('high')
  // The due date in the viewer's locale (Chromium here: en-US), the same day in any zone.
  await expect(card.locator('time[datetime="2030-01-15"]')).toHaveText('Jan 15, 2030')
  await expect(card).toContainText('1/2')
  await board.openTask('Write copy')
  await expect(panel.description).toHaveText('Home, about and pricing pages.')
  await expect(panel.checklistItem('Home')).toBeChecked()

  await panel.close()
  await new AuthPage(page).signOut()
  const localDbs = await page.evaluate(async () =>
    (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith('taskflow.')),
  )
  expect(localDbs).toEqual([])
  expect(
    await page.evaluate(() =>
      Object.keys(localStorage).filter((k) => k.startsWith('taskflow.cache.')),
    ),
  ).toEqual([])

  publishScreenshots('board', 'task-panel')
})
