import { SERVER_UNREACHABLE_AFTER_MS } from '../src/sync/server-reach'
import { expect, publishScreenshots, saveScreenshot, test } from './fixtures'
import { AuthPage } from './page-models/auth-page'
import type { BoardPage } from './page-models/board-page'

/** The indicator while one edit waits, whether or not the browser reports being offline. */
const ONE_UNSYNCED = /^(Offline|Can't reach the server) · 1 unsynced$/
const UNREACHABLE_TIMEOUT = SERVER_UNREACHABLE_AFTER_MS + 10_000

/** Ada's board, a teammate's too; Ada adds a task while offline and it is counted. */
async function offlineEdit(a: BoardPage, projectId: string): Promise<void> {
  await a.goto(projectId)
  await a.addTasks('To do', ['Book bus'])
  await a.waitSaved()
  await a.page.context().setOffline(true)
  await a.addTasks('To do', ['Pack lunch'])
  await expect(a.syncIndicator).toHaveText(ONE_UNSYNCED, { timeout: UNREACHABLE_TIMEOUT })
}

test('signing out with an unsynced change asks first, and "Discard" deletes the local copy', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: a,
    teammate: b,
  } = await sharedBoards('Outing', 'Ada', {
    name: 'Bob',
    role: 'member',
  })
  await offlineEdit(a, projectId)
  const userId = await a.page.evaluate(
    () => JSON.parse(localStorage.getItem('taskflow.session') ?? '{}').user.id as string,
  )
  const auth = new AuthPage(a.page)

  await auth.chooseSignOut()
  await expect(auth.unsyncedDialog).toContainText('1 change you made has not reached the server')
  await saveScreenshot(a.page, 'signout-unsynced')
  // Nothing is deleted while the question is open.
  expect(await auth.accountDatabases(userId)).not.toEqual([])
  await auth.unsyncedDialog.getByRole('button', { name: 'Discard 1 change' }).click()

  await a.page.waitForURL('**/login')
  await expect.poll(() => auth.accountDatabases(userId)).toEqual([])
  await a.page.context().setOffline(false)
  await b.goto(projectId)
  await expect(b.card('Book bus')).toBeVisible()
  await expect(b.card('Pack lunch')).toHaveCount(0)
  publishScreenshots('signout-unsynced')
})

test('"Stay signed in until synced" keeps the account until the change reaches the teammate, then signs out', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: a,
    teammate: b,
  } = await sharedBoards('Outing', 'Ada', {
    name: 'Bob',
    role: 'member',
  })
  await offlineEdit(a, projectId)
  await b.goto(projectId)
  await expect(b.card('Book bus')).toBeVisible()
  const auth = new AuthPage(a.page)

  await auth.chooseSignOut()
  await expect(auth.unsyncedDialog).toContainText('1 change you made has not reached the server')
  await auth.unsyncedDialog.getByRole('button', { name: 'Stay signed in until synced' }).click()
  await expect(a.page.getByTestId('signout-waiting')).toHaveText(
    /signed out once 1 change reaches the server/,
  )
  await expect(a.card('Pack lunch')).toBeVisible()
  expect(a.page.url()).toContain(`/projects/${projectId}`)

  await a.page.context().setOffline(false)
  await expect(b.card('Pack lunch')).toBeVisible()
  await a.page.waitForURL('**/login')
})
