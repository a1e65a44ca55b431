import { createSharedProject, expect, test, untilAvailableOffline } from './fixtures'
import { BoardPage } from './page-models/board-page'
import { SearchDialog } from './page-models/search-dialog'
import { TaskPanel } from './page-models/task-panel'

test('search finds tasks on this device by a typo’d prefix, adds the server’s for other projects, works offline and opens the task', async ({
  server,
  register,
  signedInPage,
}) => {
  const ada = await register('Ada')
  const bob = await register('Bob')
  const ops = await createSharedProject(server, ada, 'Ops', [])
  // Bob's project, shared with Ada, is never opened on Ada's device: only the server has it.
  const tax = await createSharedProject(server, bob, 'Tax', [{ account: ada, role: 'viewer' }])
  const bobBoard = new BoardPage((await signedInPage(bob)).page)
  await bobBoard.goto(tax)
  await bobBoard.addTasks('To do', ['Quarterly tax filing'])
  await bobBoard.waitSaved()

  const board = new BoardPage((await signedInPage(ada)).page)
  const page = board.page
  await board.goto(ops)
  await board.addTasks('To do', ['Quarterly invoice export', 'Plan the offsite'])
  await board.waitSaved()

  const search = new SearchDialog(page)
  // `/` typed into a field is text, not the shortcut.
  await board.column('To do').getByRole('button', { name: 'Add task' }).click()
  await board.column('To do').getByLabel('Task title').press('/')
  await expect(search.root).toHaveCount(0)
  await board.column('To do').getByLabel('Task title').press('Escape')

  await search.open()
  await search.input.fill('quartely inv')
  await expect(search.results('device')).toHaveCount(1)
  await expect(search.results('device').first()).toContainText('Quarterly invoice export')
  await expect(search.results('device').first().locator('mark')).toHaveText([
    'Quarterly',
    'invoice',
  ])
  // Every word must match, so the server adds nothing for this query...
  await search.input.fill('quarterly')
  // ...but "quarterly" alone also finds Bob's task, from the server, listed after this device's.
  await expect(search.results('server')).toHaveCount(1)
  await expect(search.results('server')).toContainText('Quarterly tax filing')
  await expect(search.results('server')).toContainText('server')
  await expect(search.results().first()).toHaveAttribute('data-source', 'device')
  await page.keyboard.press('Escape')

  await untilAvailableOffline(page)
  await page.context().setOffline(true)
  await search.open()
  await search.input.fill('quartely inv')
  await expect(search.results('device')).toHaveText([/Quarterly invoice export/])
  await expect(search.note).toHaveText('Offline: showing results from this device only.')
  await search.input.press('Enter')
  const panel = new TaskPanel(page)
  await expect(panel.title).toHaveValue('Quarterly invoice export')
  await expect(page).toHaveURL(new RegExp(`/projects/${ops}/tasks/`))
  await page.context().setOffline(false)
})
