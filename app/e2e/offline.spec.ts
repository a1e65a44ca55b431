import { SERVER_UNREACHABLE_AFTER_MS } from '../src/sync/server-reach'
import { expect, publishScreenshots, saveScreenshot, test } from './fixtures'

/** What the indicator may say while the three edits below (two tasks, a move) wait for a server out of reach. */
const NOT_SYNCING_WITH_EDITS = /^(Offline|Can't reach the server) · 3 unsynced$/
/** Long enough for "Connecting…" to turn into "Can't reach the server" on a slow machine. */
const UNREACHABLE_TIMEOUT = SERVER_UNREACHABLE_AFTER_MS + 10_000

/**
 * Browsers differ in whether they tell the page: some report the emulated network's loss
 * (`navigator.onLine` false, `offline` events), others (Chromium 150 after an offline
 * reload, or any real network that dies silently) keep saying online. Each case is run;
 * in the second, the page's `navigator.onLine` always says true and no online/offline event
 * reaches the app, so only the socket's failures can tell it.
 */
const BROWSERS = [
  { name: 'the browser reports offline', hidesOffline: false },
  { name: 'the browser never notices', hidesOffline: true },
]

for (const browser of BROWSERS) {
  test(`edits made offline survive a reload while offline and converge with a teammate’s (${browser.name})`, async ({
    sharedBoards,
  }) => {
    const {
      projectId,
      owner: a,
      teammate: b,
    } = await sharedBoards('Field trip', 'Ada', {
      name: 'Bob',
      role: 'member',
    })
    if (browser.hidesOffline) {
      await a.page.context().addInitScript(() => {
        Object.defineProperty(Navigator.prototype, 'onLine', {
          configurable: true,
          get: () => true,
        })
        for (const type of ['online', 'offline'])
          window.addEventListener(type, (e) => e.stopImmediatePropagation(), true)
      })
    }
    await a.goto(projectId)
    await a.addTasks('To do', ['Book bus'])
    await a.waitSaved()
    // The service worker must control the page before the network goes away.
    await a.page.waitForFunction(() => navigator.serviceWorker.controller !== null)
    await b.goto(projectId)
    await expect(b.card('Book bus')).toBeVisible()

    await a.page.context().setOffline(true)
    // Told, the app stops at once; untold, its open socket looks fine until an edit goes unanswered.
    if (!browser.hidesOffline) await expect(a.syncIndicator).toHaveText('Offline')
    await a.addTasks('To do', ['Pack lunch', 'Print maps'])
    await a.dragTask('Book bus', 'Done')
    await expect.poll(() => a.cardTitlesIn('Done')).toEqual(['Book bus'])
    await expect(a.syncIndicator).toHaveText(NOT_SYNCING_WITH_EDITS, {
      timeout: UNREACHABLE_TIMEOUT,
    })

    await b.addTasks('In progress', ['Call museum'])

    await a.page.reload()
    await a.board.waitFor()
    await expect.poll(() => a.cardTitlesIn('To do')).toEqual(['Pack lunch', 'Print maps'])
    await expect.poll(() => a.cardTitlesIn('Done')).toEqual(['Book bus'])
    // The edits made before the reload are still counted as not on the server.
    await expect(a.syncIndicator).toHaveText(NOT_SYNCING_WITH_EDITS, {
      timeout: UNREACHABLE_TIMEOUT,
    })
    await expect(a.card('Call museum')).toHaveCount(0)
    if (!browser.hidesOffline) await saveScreenshot(a.page, 'offline')

    await a.page.context().setOffline(false)
    await expect(a.card('Call museum')).toBeVisible()
    await expect(b.card('Pack lunch')).toBeVisible()
    await expect(b.card('Print maps')).toBeVisible()
    await expect.poll(() => b.cardTitlesIn('Done')).toEqual(['Book bus'])
    await expect(a.syncIndicator).toHaveText('All changes saved')

    if (!browser.hidesOffline) publishScreenshots('offline')
  })
}
