import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createSharedProject, expect, HERE, saveScreenshot, test } from './fixtures'
import { BoardPage } from './page-models/board-page'

test('edits made offline survive a reload while offline and converge with a teammate’s', async ({
  server,
  register,
  signedInPage,
}) => {
  const ada = await register('Ada')
  const bob = await register('Bob')
  const projectId = await createSharedProject(server, ada, 'Field trip', [
    { account: bob, role: 'member' },
  ])
  const adaSide = await signedInPage(ada)
  const a = new BoardPage(adaSide.page)
  const b = new BoardPage((await signedInPage(bob)).page)
  await a.goto(projectId)
  await a.addTasks('To do', ['Book bus'])
  await a.waitSaved()
  // The service worker must control the page before the network goes away.
  await a.page.waitForFunction(() => navigator.serviceWorker.controller !== null)
  await b.goto(projectId)
  await expect(b.card('Book bus')).toBeVisible()

  await adaSide.context.setOffline(true)
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

  await adaSide.context.setOffline(false)
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
