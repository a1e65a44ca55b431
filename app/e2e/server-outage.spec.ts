import { SERVER_UNREACHABLE_AFTER_MS } from '../src/sync/server-reach'
import { expect, saveScreenshot, test } from './fixtures'

/** Long enough for "Connecting…" to turn into "Can't reach the server" on a slow machine. */
const UNREACHABLE_TIMEOUT = SERVER_UNREACHABLE_AFTER_MS + 10_000

test('while the server is stopped the board says it can’t reach the server and counts the edits waiting, then saves them when it is back', async ({
  server,
  sharedBoards,
}) => {
  const {
    projectId,
    owner: a,
    teammate: b,
  } = await sharedBoards('Launch', 'Ada', {
    name: 'Bob',
    role: 'member',
  })
  await a.goto(projectId)
  await a.addTasks('To do', ['Write notes'])
  await a.waitSaved()
  await b.goto(projectId)
  await expect(b.card('Write notes')).toBeVisible()

  // The browser stays online: only the socket can tell that the server is gone.
  await server.stop()
  await a.addTasks('To do', ['Draft email'])
  await expect(a.syncIndicator).toHaveText("Can't reach the server · 1 unsynced", {
    timeout: UNREACHABLE_TIMEOUT,
  })
  await expect(b.syncIndicator).toHaveText("Can't reach the server", {
    timeout: UNREACHABLE_TIMEOUT,
  })
  await saveScreenshot(a.page, 'server-unreachable')

  await server.start()
  await expect(a.syncIndicator).toHaveText('All changes saved')
  await expect(b.card('Draft email')).toBeVisible()
  await expect(b.syncIndicator).toHaveText('All changes saved')
})
