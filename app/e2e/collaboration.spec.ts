import { createSharedProject, expect, test } from './fixtures'
import { BoardPage } from './page-models/board-page'
import { TaskPanel } from './page-models/task-panel'

const LIVE = { timeout: 1_000 }

test('two teammates see each other’s adds, moves, edits and deletes within a second', async ({
  server,
  register,
  signedInPage,
}) => {
  const ada = await register('Ada')
  const bob = await register('Bob')
  const projectId = await createSharedProject(server, ada, 'Launch', [
    { account: bob, role: 'member' },
  ])
  const a = new BoardPage((await signedInPage(ada)).page)
  const b = new BoardPage((await signedInPage(bob)).page)
  await a.goto(projectId)
  await b.goto(projectId)
  await a.waitSaved()
  await b.waitSaved()

  await expect(a.presenceUsers).toHaveCount(2)
  await expect(b.presenceUsers).toHaveCount(2)

  await a.addTasks('To do', ['Shared task', 'Second task'])
  await expect(b.card('Shared task')).toBeVisible(LIVE)

  await b.dragTask('Shared task', 'In progress')
  await expect.poll(() => a.cardTitlesIn('In progress'), LIVE).toEqual(['Shared task'])

  await a.openTask('Shared task')
  const aPanel = new TaskPanel(a.page)
  await aPanel.title.fill('Shared task (renamed)')
  await expect(b.card('Shared task (renamed)')).toBeVisible(LIVE)

  await b.openTask('Second task')
  // Presence on the card: Bob sees that Ada has "Shared task (renamed)" open.
  await expect(b.card('Shared task (renamed)').getByTestId('card-viewers')).toBeVisible()
  await new TaskPanel(b.page).moveToTrash()
  await expect(a.card('Second task')).toHaveCount(0, LIVE)
})

test('two people typing in one description at once both keep their text', async ({
  server,
  register,
  signedInPage,
}) => {
  const ada = await register('Ada')
  const bob = await register('Bob')
  const projectId = await createSharedProject(server, ada, 'Docs', [
    { account: bob, role: 'member' },
  ])
  const a = new BoardPage((await signedInPage(ada)).page)
  const b = new BoardPage((await signedInPage(bob)).page)
  await a.goto(projectId)
  await b.goto(projectId)
  await a.addTasks('To do', ['Write spec'])
  await expect(b.card('Write spec')).toBeVisible(LIVE)
  await a.openTask('Write spec')
  await b.openTask('Write spec')
  const aText = new TaskPanel(a.page).description
  const bText = new TaskPanel(b.page).description

  await aText.click()
  await bText.click()
  await Promise.all([
    aText.pressSequentially('Ada writes the intro. ', { delay: 15 }),
    bText.pressSequentially('Bob adds the details.', { delay: 15 }),
  ])
  for (const text of [aText, bText]) {
    await expect(text).toHaveValue(/Ada writes the intro\. /)
    await expect(text).toHaveValue(/Bob adds the details\./)
  }
  await expect
    .poll(async () => (await aText.inputValue()) === (await bText.inputValue()))
    .toBe(true)
})
