import { expect, test } from './fixtures'
import { ActivityPage } from './page-models/activity-page'

// Issue 13: an older offline move must not silently beat a newer online one.
test('a later online move beats an older offline one on reconnect, and the person whose move was replaced is told', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: ada,
    teammate: bob,
  } = await sharedBoards('Release', 'Ada', { name: 'Bob', role: 'member' })
  await ada.goto(projectId)
  await ada.addColumn('Review')
  await ada.addTasks('To do', ['Spec'])
  await ada.waitSaved()
  await bob.goto(projectId)
  await expect(bob.card('Spec')).toBeVisible()

  // Bob, offline, moves it to Review; then Ada, online, moves it to Done.
  await bob.page.context().setOffline(true)
  await bob.dragTask('Spec', 'Review')
  await expect.poll(() => bob.cardTitlesIn('Review')).toEqual(['Spec'])
  await ada.dragTask('Spec', 'Done')
  await ada.waitSaved()

  await bob.page.context().setOffline(false)
  await expect.poll(() => bob.cardTitlesIn('Done')).toEqual(['Spec'])
  await expect.poll(() => ada.cardTitlesIn('Done')).toEqual(['Spec'])
  await expect(bob.card('Spec').getByTestId('replaced-move-notice')).toHaveText(
    /Ada moved this to Done after your move to Review\./,
  )
  await expect(ada.card('Spec').getByTestId('replaced-move-notice')).toHaveCount(0)

  // The activity tells the story with the column Bob saw (derived shortly after the
  // updates are stored: the feed is read again until it is there).
  await ada.openActivity()
  const feed = new ActivityPage(ada.page)
  await expect(async () => {
    await ada.page.reload()
    await expect(
      feed.entry('Bob moved “Spec” from To do to Review, but Ada’s later move to Done replaced it'),
    ).toBeVisible({ timeout: 1_000 })
  }).toPass()
  await expect(feed.entry('Ada moved “Spec” from To do to Done')).toBeVisible()

  // Dismissed, the notice is gone, and stays gone after a reload.
  await bob
    .card('Spec')
    .getByRole('button', { name: /Dismiss the notice/ })
    .click()
  await expect(bob.card('Spec').getByTestId('replaced-move-notice')).toHaveCount(0)
  await bob.waitSaved()
  await bob.page.reload()
  await expect.poll(() => bob.cardTitlesIn('Done')).toEqual(['Spec'])
  await expect(bob.card('Spec').getByTestId('replaced-move-notice')).toHaveCount(0)
})
