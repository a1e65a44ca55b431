import { SERVER_UNREACHABLE_AFTER_MS } from '../src/sync/server-reach'
import { expect, saveScreenshot, test, untilAvailableOffline } from './fixtures'
import { ActivityPage } from './page-models/activity-page'
import { NotificationBell } from './page-models/notification-bell'
import { ProfilePage } from './page-models/profile-page'
import { TaskPanel } from './page-models/task-panel'

test('A mentions B in a comment: B’s bell shows it, B lands on the task, B’s reply reaches A live', async ({
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
  await b.goto(projectId)
  await a.waitSaved()
  await b.waitSaved()
  const bBell = new NotificationBell(b.page)
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
  await expect(aPanel.mentionChips('Can you review this')).toHaveText('@Bob')
  await expect(aPanel.commentAuthor('Can you review this')).toHaveText('Ada')
  await expect(a.cardCommentCount('Write spec')).toHaveText('1')

  // Live over the SSE stream: within 2 s of the comment reaching the server.
  await expect(bBell.count).toHaveText('1', { timeout: 15_000 })
  await bBell.openNotification(/mentioned you/)
  await b.page.waitForURL(`**/projects/${projectId}/tasks/*`)
  const bPanel = new TaskPanel(b.page)
  await expect(bPanel.comment('Can you review this')).toBeVisible()
  await expect(bBell.count).toHaveCount(0)

  await bPanel.writeComment(['Looks **good**'])
  const reply = aPanel.comment('Looks good')
  await expect(reply).toBeVisible({ timeout: 15_000 })
  await expect(reply.getByTestId('comment-body').locator('strong')).toHaveText('good')
  await expect(aPanel.commentAuthor('Looks good')).toHaveText('Bob')

  // Reactions and a deletion travel too.
  await aPanel.react('Looks good', '👍')
  await expect(bPanel.reaction('Looks good', '👍')).toHaveAttribute('aria-pressed', 'false')
  await expect(bPanel.reaction('Looks good', '👍')).toHaveText(/1/)
  await bPanel.deleteComment('Looks good')
  await expect(aPanel.deletedComments).toBeVisible()
  await expect(a.cardCommentCount('Write spec')).toHaveText('1')

  // The task's activity names the commenter from the server's attribution.
  await expect(aPanel.activity.filter({ hasText: 'Ada' }).first()).toBeVisible()
  await saveScreenshot(a.page, 'task-comments')
  // Bob looks in the dark theme: the same screens, for a visual check of both themes.
  await b.page.emulateMedia({ colorScheme: 'dark' })
  await b.page.reload()
  await bPanel.root.waitFor()
  await saveScreenshot(b.page, 'task-comments-dark')
  await bPanel.close()
  await bBell.open()
  await saveScreenshot(b.page, 'notification-list-dark')
})

test('description mentions, editing my comment, a viewer reads only, and notification preferences', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: a,
    teammate: c,
  } = await sharedBoards('Docs', 'Ada', {
    name: 'Cy',
    role: 'viewer',
  })
  await a.goto(projectId)
  await a.addTasks('To do', ['Plan'])
  await a.openTask('Plan')
  const aPanel = new TaskPanel(a.page)
  await aPanel.description.fill('Ask')
  await aPanel.mentionInDescription('Cy')
  await expect(aPanel.descriptionMentions).toHaveText('@Cy')

  await aPanel.writeComment(['First draft'])
  await aPanel.editComment('First draft', 'Second draft')
  await expect(aPanel.comment('Second draft')).toContainText('(edited)')
  // The creator watches the task by default.
  await expect(aPanel.watchButton).toHaveText('Unwatch')

  await c.goto(projectId)
  await expect(c.cardCommentCount('Plan')).toHaveText('1')
  // The mention in the rich description notifies Cy (the model reads it as a `<@id>` token).
  const cBell = new NotificationBell(c.page)
  await cBell.open()
  await expect(cBell.items.filter({ hasText: /mentioned you/ })).toBeVisible()
  await cBell.close()
  await c.openTask('Plan')
  const cPanel = new TaskPanel(c.page)
  await expect(cPanel.descriptionMentions).toHaveText('@Cy')
  await expect(cPanel.comment('Second draft')).toBeVisible()
  await expect(cPanel.commentBox).toHaveCount(0)
  await expect(cPanel.commentButtons('Second draft')).toHaveCount(0)
  await expect(cPanel.watchButton).toHaveText('Watch')

  // The project feed, with the server's attribution (the excerpt is the comment as first
  // written), filtered by member and linking to the task.
  await cPanel.close()
  await c.openActivity()
  const feed = new ActivityPage(c.page)
  const commented = feed.entry('Ada commented on “Plan”')
  await expect(commented).toBeVisible()
  await expect(commented.getByTestId('activity-comment')).toHaveText('First draft')
  await expect(feed.entry('Ada created “Plan” in To do')).toBeVisible()
  await feed.filterBy('Cy')
  await expect(feed.entries).toHaveCount(0)
  await feed.filterBy('Ada')
  await feed.openEntry('created “Plan”')
  await expect(cPanel.root).toBeVisible()

  const profile = new ProfilePage(a.page)
  await profile.goto()
  const commentMail = profile.channel('Comments on tasks I watch', 'e-mail')
  await expect(commentMail).toBeChecked()
  await commentMail.uncheck()
  await profile.emailMode('Once a day (digest)').check()
  await expect(commentMail).not.toBeChecked()
  await profile.goto()
  await expect(commentMail).not.toBeChecked()
  await expect(profile.emailMode('Once a day (digest)')).toBeChecked()
})

test('a mention written offline shows its author at once and notifies once it reaches the server', async ({
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
  await b.goto(projectId)
  const bBell = new NotificationBell(b.page)
  await expect(bBell.count).toHaveText('1') // added to the project
  await bBell.open()
  await bBell.markAllRead()
  await bBell.close()
  await expect(bBell.count).toHaveCount(0)

  await untilAvailableOffline(a.page)
  await a.page.context().setOffline(true)
  await a.openTask('Book bus')
  const aPanel = new TaskPanel(a.page)
  await aPanel.writeComment([{ mention: 'Bob' }, ' bring the tickets'])
  await expect(aPanel.commentAuthor('bring the tickets')).toHaveText('Ada')
  await expect(aPanel.mentionChips('bring the tickets')).toHaveText('@Bob')
  // What Ada sees, whether or not the browser reports the lost network (see offline.spec.ts).
  await expect(a.syncIndicator).toHaveText(/^(Offline|Can't reach the server) · 1 unsynced$/, {
    timeout: SERVER_UNREACHABLE_AFTER_MS + 10_000,
  })

  await a.page.context().setOffline(false)
  await expect(b.cardCommentCount('Book bus')).toHaveText('1')
  await expect(bBell.count).toHaveText('1')
  // Opening the task from the board (not the bell) reads its notification too.
  await b.openTask('Book bus')
  await expect(new TaskPanel(b.page).commentAuthor('bring the tickets')).toHaveText('Ada')
  await expect(bBell.count).toHaveCount(0)
})
