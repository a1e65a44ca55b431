import { expect, PASSWORD, test, uniqueEmail } from './fixtures'
import { AuthPage } from './page-models/auth-page'
import { BoardPage } from './page-models/board-page'
import { ProjectsPage } from './page-models/projects-page'
import { TaskPanel } from './page-models/task-panel'

// Issue 13 item 4: text over a board limit used to vanish (Enter cleared it, a paste into
// the title was reverted) with nothing said. Now it stays and the user is told the limit.
test('over-long titles and column names are refused with the reason and the text kept', async ({
  server,
  page,
}) => {
  await new AuthPage(page, server).signUp({
    name: 'Lin',
    email: uniqueEmail('lin'),
    password: PASSWORD,
  })
  const projects = new ProjectsPage(page)
  await projects.create('Limits')
  await projects.open('Limits')
  const board = new BoardPage(page)
  await board.board.waitFor()

  // A 501-character task title: Enter keeps it and says why; no task appears.
  const todo = board.column('To do')
  await todo.getByRole('button', { name: 'Add task' }).click()
  const titleInput = todo.getByLabel('Task title')
  const title501 = 'x'.repeat(501)
  await titleInput.fill(title501)
  await expect(todo.getByTestId('length-counter')).toHaveText('501/500')
  await titleInput.press('Enter')
  await expect(titleInput).toHaveValue(title501)
  await expect(todo.getByRole('alert')).toHaveText('Title must be at most 500 characters.')
  await expect(todo.getByTestId('task-card')).toHaveCount(0)
  // Shortened to the limit, it is added.
  await titleInput.press('Backspace')
  await expect(todo.getByRole('alert')).toHaveCount(0)
  await titleInput.press('Enter')
  await expect(todo.getByTestId('task-card')).toHaveCount(1)
  await expect(titleInput).toHaveValue('')
  await titleInput.press('Escape')

  // A 10,000-character column name is refused the same way.
  const columnsBefore = await board.columnNames()
  await page.getByRole('button', { name: 'Add column' }).click()
  const columnInput = page.getByLabel('Column name')
  const longName = 'c'.repeat(10_000)
  await columnInput.fill(longName)
  await columnInput.press('Enter')
  await expect(columnInput).toHaveValue(longName)
  await expect(page.getByRole('alert').filter({ hasText: 'Name must be at most 200' })).toHaveText(
    'Name must be at most 200 characters.',
  )
  expect(await board.columnNames()).toEqual(columnsBefore)
  await columnInput.press('Escape')

  // Pasting 10,000 characters into an open task's title keeps them in the field, unsaved.
  await board.addTasks('To do', ['Short'])
  await board.openTask('Short')
  const panel = new TaskPanel(page)
  await panel.title.click()
  await panel.title.press('End')
  const pasted = 'p'.repeat(10_000)
  await page.keyboard.insertText(pasted) // one input event carrying all of it, as a paste is
  await expect(panel.title).toHaveValue(`Short${pasted}`)
  await expect(panel.root.getByRole('alert')).toHaveText(
    'Title is too long: 10005 characters, at most 500. Not saved until shortened.',
  )
  await expect(panel.root.getByTestId('length-counter')).toHaveText('10005/500')
  await expect(board.card('Short')).toHaveCount(1)
  // Trimmed back under the limit, the title saves and the note goes.
  await panel.title.fill('Short and saved')
  await expect(panel.root.getByRole('alert')).toHaveCount(0)
  await panel.close()
  await expect(board.card('Short and saved')).toHaveCount(1)
})
