import { readFileSync } from 'node:fs'
import {
  type Account,
  api,
  createSharedProject,
  expect,
  PASSWORD,
  publishScreenshots,
  saveScreenshot,
  test,
} from './fixtures'
import { BoardPage } from './page-models/board-page'

test('a session the server no longer accepts sends the board to login once, says why, and returns to the board after signing in', async ({
  server,
  register,
  signedInPage,
}) => {
  const ada = await register('Ada')
  const projectId = await createSharedProject(server, ada, 'Trip', [])
  const { page } = await signedInPage({ ...ada, token: 'not-a-session-token' })
  const errors: string[] = []
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  page.on('pageerror', (e) => errors.push(e.message))

  await page.goto(`/projects/${projectId}`)
  await expect(page.getByText('Your session expired, sign in again')).toBeVisible()
  const url = new URL(page.url())
  expect(url.pathname).toBe('/login')
  expect(url.searchParams.get('redirect')).toBe(`/projects/${projectId}`)
  expect(errors.filter((e) => e.includes('useRequiredSession'))).toEqual([])

  await page.getByLabel('Email').fill(ada.user.email)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.waitForURL(`**/projects/${projectId}`)
  await new BoardPage(page).board.waitFor()
})

test('a removed member is told, stops syncing, can download the local copy, and is asked before its unsynced change is deleted', async ({
  server,
  sharedBoards,
}) => {
  const {
    projectId,
    owner: a,
    teammate: b,
  } = await sharedBoards('Trip', 'Ada', {
    name: 'Bob',
    role: 'member',
  })
  await a.goto(projectId)
  await a.addTasks('To do', ['Book bus'])
  await a.waitSaved()
  await b.goto(projectId)
  await expect(b.card('Book bus')).toBeVisible()
  const bob = await b.page.evaluate(
    () => JSON.parse(localStorage.getItem('taskflow.session') ?? '{}') as Account,
  )
  const ada = await a.page.evaluate(
    () => JSON.parse(localStorage.getItem('taskflow.session') ?? '{}') as Account,
  )
  // Bob's change made offline never reaches the server: he is removed meanwhile.
  await b.page.context().setOffline(true)
  await b.addTasks('To do', ['Pack lunch'])
  await expect(b.syncIndicator).toHaveText(/· 1 unsynced$/, { timeout: 15_000 })
  await api(server, ada, `/projects/${projectId}/members/${bob.user.id}`, { method: 'DELETE' })
  await b.page.context().setOffline(false)

  await b.page.reload()
  const notice = b.page.getByTestId('no-access')
  await expect(notice).toContainText('You no longer have access to this project')
  await expect(b.card('Pack lunch')).toBeVisible()
  await expect(b.syncIndicator).toHaveCount(0)
  await expect(b.page.getByRole('link', { name: 'Reports' })).toHaveCount(0)
  await expect(b.page.getByRole('link', { name: 'Activity' })).toHaveCount(0)
  await saveScreenshot(b.page, 'no-access')

  const [download] = await Promise.all([
    b.page.waitForEvent('download'),
    notice.getByRole('button', { name: 'Download a copy' }).click(),
  ])
  const saved = readFileSync(await download.path(), 'utf8')
  expect(saved).toContain('Book bus')
  expect(saved).toContain('Pack lunch')

  await notice.getByRole('button', { name: 'Delete from this device' }).click()
  const dialog = b.page.getByTestId('unsynced-dialog')
  await expect(dialog).toContainText('1 change you made has not reached the server')
  await dialog.getByRole('button', { name: 'Discard 1 change' }).click()
  await b.page.waitForURL('**/projects')
  await expect
    .poll(() =>
      b.page.evaluate(async (name) => {
        const dbs = await indexedDB.databases()
        return dbs.some((d) => d.name === name)
      }, `taskflow.${bob.user.id}.${projectId}`),
    )
    .toBe(false)
  publishScreenshots('no-access')
})
