import { createRequire } from 'node:module'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { createSharedProject, expect, test } from './fixtures'
import { BoardPage } from './page-models/board-page'

/** ws, resolved from the server's dependencies (Node 20 has no WebSocket; the app needs none). */
const WebSocketPolyfill = createRequire(new URL('../../sync-server/package.json', import.meta.url))(
  'ws',
).WebSocket

// document-schema.md B3: the app opens a board through openBoard, on load and on sync.
test('an open board migrates an older schema and turns read-only when a newer TaskFlow saved it', async ({
  server,
  register,
  signedInPage,
}) => {
  const owner = await register('Ada')
  const projectId = await createSharedProject(server, owner, 'Roadmap', [])
  const board = new BoardPage((await signedInPage(owner)).page)
  await board.goto(projectId)
  await board.addTasks('To do', ['Ship it'])
  await board.waitSaved()

  // Another client (a server-side one here) on the same board.
  const doc = new Y.Doc()
  const other = new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/sync`, projectId, doc, {
    WebSocketPolyfill,
    disableBc: true,
    params: { token: owner.token },
  })
  try {
    await expect.poll(() => other.synced).toBe(true)
    const meta = doc.getMap<unknown>('meta')
    const current = meta.get('schemaVersion') as number

    // An older client's version: the open board migrates it back, and the server gets it.
    meta.set('schemaVersion', current - 1)
    await expect.poll(() => meta.get('schemaVersion')).toBe(current)
    await expect(board.page.getByTestId('newer-schema')).toHaveCount(0)

    // A newer TaskFlow's version: the board says so and offers no edit.
    meta.set('schemaVersion', 99)
    const notice = board.page.getByTestId('newer-schema')
    await expect(notice).toContainText(
      'This board was saved by a newer version of TaskFlow. Reload to update.',
    )
    await expect(notice.getByRole('button', { name: 'Reload' })).toBeVisible()
    await expect(board.page.getByTestId('read-only-badge')).toBeVisible()
    await expect(board.page.getByRole('button', { name: 'Add task' })).toHaveCount(0)
    await expect(board.page.getByRole('button', { name: 'Undo' })).toHaveCount(0)
    await board.dragTask('Ship it', 'Done', { refused: true })
    await board.page.mouse.up()
    await expect.poll(() => board.cardTitlesIn('To do')).toEqual(['Ship it'])

    // Reloaded (the app updated, were there an update), the board is still refused.
    const reloaded = board.page.waitForEvent('load')
    await board.page.getByRole('button', { name: 'Reload' }).click()
    await reloaded
    await expect(board.page.getByTestId('newer-schema')).toBeVisible()
    await expect(board.card('Ship it')).toBeVisible()
    expect(meta.get('schemaVersion')).toBe(99)
  } finally {
    other.destroy()
    doc.destroy()
  }
})
