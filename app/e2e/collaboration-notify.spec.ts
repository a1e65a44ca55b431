import { createSharedProject, expect, test } from './fixtures'
import { BoardPage } from './page-models/board-page'
import { NotificationBell } from './page-models/notification-bell'
import { TaskPanel } from './page-models/task-panel'

test('A mentions B in a comment: B’s bell shows it, B lands on the task, B’s reply reaches A live', async ({
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
  const bPage = (await signedInPage(bob)).page
  const b = new BoardPage(bPage)
  await a.goto(projectId)
  await b.goto(projectId)
  await a.waitSaved()
  await b.waitSaved()
  const bBell = new NotificationBell(bPage)
  // Being added to the project is Bob's first notification: read it, so the badge clears.
  await expect(bBell.count).toHaveText('1')
  await bBell.open()
  await expect(bBell.items.filter({ hasText: 'added you to Launch' })).toBeVisible()
  await bBell.markAllRead()
  await bBell.close()
  await expect(bBell.count).toHaveCount(0)

  await a.addTasks('To do', ['Write spec'])
  await a.openTask('Write spec')
  const aPanel = new TaskPanel(a.page)
  await aPanel.writeComment(['Can you review this ', { mention: 'Bob' }, '?'])
  const sent = aPanel.comment('Can you review this')
  await expect(sent).toBeVisible()
  await expect(sent.getByTestId('mention-chip')).toHaveText('@Bob')
  await expect(sent.getByTestId('comment-author')).toHaveText('Ada')
  await expect(a.card('Write spec').getByTestId('card-comments')).toHaveText('1')

  // Live over the SSE stream: within 2 s of the comment reaching the server.
  await expect(bBell.count).toHaveText('1', { timeout: 2_000 })
  await bBell.openNotification(/mentioned you/)
  await bPage.waitForURL(`**/projects/${projectId}/tasks/*`)
  const bPanel = new TaskPanel(bPage)
  await expect(bPanel.comment('Can you review this')).toBeVisible()
  await expect(bBell.count).toHaveCount(0)

  await bPanel.writeComment(['Looks good'])
  const reply = aPanel.comment('Looks good')
  await expect(reply).toBeVisible({ timeout: 2_000 })
  await expect(reply.getByTestId('comment-author')).toHaveText('Bob')

  // Reactions and a deletion travel too.
  await aPanel.react('Looks good', '👍')
  await expect(
    bPanel.comment('Looks good').getByRole('button', { name: 'React 👍' }),
  ).toHaveAttribute('aria-pressed', 'false')
  await expect(bPanel.comment('Looks good').getByRole('button', { name: 'React 👍' })).toHaveText(
    /1/,
  )
  await bPanel.deleteComment('Looks good')
  await expect(a.page.getByTestId('comment-deleted')).toBeVisible()
  await expect(a.card('Write spec').getByTestId('card-comments')).toHaveText('1')

  // The task's activity names the commenter from the server's attribution.
  await expect(aPanel.activity.filter({ hasText: 'Ada' }).first()).toBeVisible()
})
