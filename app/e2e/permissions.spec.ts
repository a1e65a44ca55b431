import { createSharedProject, expect, test } from './fixtures'
import { BoardPage } from './page-models/board-page'
import { TaskPanel } from './page-models/task-panel'

test('a viewer sees the board but has no way to change it', async ({
  server,
  register,
  signedInPage,
}) => {
  const ada = await register('Ada')
  const vic = await register('Vic')
  const projectId = await createSharedProject(server, ada, 'Budget', [
    { account: vic, role: 'viewer' },
  ])
  const a = new BoardPage((await signedInPage(ada)).page)
  await a.goto(projectId)
  await a.addTasks('To do', ['Read me'])
  await a.waitSaved()

  const v = new BoardPage((await signedInPage(vic)).page)
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
  await expect(panel.root.getByRole('button', { name: 'Move to trash' })).toHaveCount(0)
  await v.page.keyboard.press('Control+z')
  await expect(a.card('Read me')).toBeVisible()
})

test('undo reverts only my own edit, never a teammate’s concurrent one', async ({
  server,
  register,
  signedInPage,
}) => {
  const ada = await register('Ada')
  const bob = await register('Bob')
  const projectId = await createSharedProject(server, ada, 'Sprint', [
    { account: bob, role: 'member' },
  ])
  const a = new BoardPage((await signedInPage(ada)).page)
  const b = new BoardPage((await signedInPage(bob)).page)
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
