import { expect, test } from './fixtures'
import { TaskPanel } from './page-models/task-panel'

test('a viewer sees the board but has no way to change it', async ({ sharedBoards }) => {
  const {
    projectId,
    owner: a,
    teammate: v,
  } = await sharedBoards('Budget', 'Ada', {
    name: 'Vic',
    role: 'viewer',
  })
  await a.goto(projectId)
  await a.addTasks('To do', ['Read me'])
  await a.waitSaved()

  await v.goto(projectId)
  await expect(v.card('Read me')).toBeVisible()
  await expect(v.page.getByTestId('read-only-badge')).toBeVisible()
  await expect(v.page.getByRole('button', { name: 'Add task' })).toHaveCount(0)
  await expect(v.page.getByRole('button', { name: 'Add column' })).toHaveCount(0)
  await expect(v.page.getByRole('button', { name: /Column settings/ })).toHaveCount(0)

  await v.dragTask('Read me', 'Done', { refused: true })
  await expect.poll(() => v.cardTitlesIn('To do')).toEqual(['Read me'])

  await v.openTask('Read me')
  const panel = new TaskPanel(v.page)
  await expect(panel.title).toHaveAttribute('readonly', '')
  await expect(panel.description).toHaveAttribute('contenteditable', 'false')
  await expect(panel.descriptionToolbar).toHaveCount(0)
  await expect(panel.root.getByLabel('Priority')).toBeDisabled()
  // …and looks it: faded, with a not-allowed cursor.
  const priorityStyle = await panel.root.getByLabel('Priority').evaluate((el) => ({
    opacity: getComputedStyle(el).opacity,
    cursor: getComputedStyle(el).cursor,
  }))
  expect(Number(priorityStyle.opacity)).toBeLessThan(0.7)
  expect(priorityStyle.cursor).toBe('not-allowed')
  await expect(panel.root.getByRole('button', { name: 'Move to trash' })).toHaveCount(0)
  await v.page.keyboard.press('Control+z')
  await expect(a.card('Read me')).toBeVisible()
})

test('undo reverts only my own edit, never a teammate’s concurrent one', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: a,
    teammate: b,
  } = await sharedBoards('Sprint', 'Ada', {
    name: 'Bob',
    role: 'member',
  })
  await a.goto(projectId)
  await b.goto(projectId)

  await a.addTasks('To do', ['Ada’s task'])
  await b.addTasks('To do', ['Bob’s task'])
  await expect(a.card('Bob’s task')).toBeVisible()
  await expect(b.card('Ada’s task')).toBeVisible()

  await a.page.getByTestId('board-name').click()
  await a.undo()
  await expect(a.card('Ada’s task')).toHaveCount(0)
  await expect(b.card('Ada’s task')).toHaveCount(0)
  await expect(a.card('Bob’s task')).toBeVisible()
  await expect(b.card('Bob’s task')).toBeVisible()

  await a.page.keyboard.press('Control+Shift+z')
  await expect(b.card('Ada’s task')).toBeVisible()
})
