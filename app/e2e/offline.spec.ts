import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, HERE, saveScreenshot, test } from './fixtures'

test('edits made offline survive a reload while offline and converge with a teammate’s', async ({
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
  await a.goto(projectId)
  await a.addTasks('To do', ['Book bus'])
  await a.waitSaved()
  // The service worker must control the page before the network goes away.
  await a.page.waitForFunction(() => navigator.serviceWorker.controller !== null)
  await b.goto(projectId)
  await expect(b.card('Book bus')).toBeVisible()

  await a.page.context().setOffline(true)
  await expect(a.syncIndicator).toHaveAttribute('data-phase', 'offline')
  await a.addTasks('To do', ['Pack lunch', 'Print maps'])
  await a.dragTask('Book bus', 'Done')
  await expect.poll(() => a.cardTitlesIn('Done')).toEqual(['Book bus'])
  await expect(a.syncIndicator).toHaveAttribute('data-unsynced', /[1-9]/)

  await b.addTasks('In progress', ['Call museum'])

  await a.page.reload()
  await a.board.waitFor()
  await expect.poll(() => a.cardTitlesIn('To do')).toEqual(['Pack lunch', 'Print maps'])
  await expect.poll(() => a.cardTitlesIn('Done')).toEqual(['Book bus'])
  await expect(a.syncIndicator).toHaveAttribute('data-phase', 'offline')
  await expect(a.card('Call museum')).toHaveCount(0)
  await saveScreenshot(a.page, 'offline')

  await a.page.context().setOffline(false)
  await expect(a.card('Call museum')).toBeVisible()
  await expect(b.card('Pack lunch')).toBeVisible()
  await expect(b.card('Print maps')).toBeVisible()
  await expect.poll(() => b.cardTitlesIn('Done')).toEqual(['Book bus'])
  await a.waitSaved()
  await expect(a.syncIndicator).toHaveAttribute('data-unsynced', '0')

  const docs = join(HERE, '../../docs/screenshots')
  mkdirSync(docs, { recursive: true })
  copyFileSync(join(HERE, '../test-results/screenshots/offline.png'), join(docs, 'offline.png'))
})
