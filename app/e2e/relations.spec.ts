import { expect, test } from './fixtures'
import { TaskPanel } from './page-models/task-panel'

const LIVE = { timeout: 5_000 }

test('Ada marks Build blocked by Design; Bob sees the Blocked badge, and moving Build to Done asks him first', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: ada,
    teammate: bob,
  } = await sharedBoards('Relations', 'Ada', { name: 'Bob', role: 'member' })
  await ada.goto(projectId)
  await bob.goto(projectId)
  await ada.addTasks('To do', ['Design', 'Build'])

  await ada.openTask('Build')
  const adaPanel = new TaskPanel(ada.page)
  await adaPanel.addRelation('Blocked by', 'Design')
  await expect(adaPanel.relationsOf('blocked_by')).toHaveText(['Design'])
  await adaPanel.close()
  await expect(ada.card('Build').getByTestId('card-blocked')).toBeVisible()
  await expect(ada.card('Design').getByTestId('card-blocked')).toHaveCount(0)

  // Bob's board shows it, naming the blocker.
  const badge = bob.card('Build').getByTestId('card-blocked')
  await expect(badge).toBeVisible(LIVE)
  await expect(badge).toHaveAttribute('title', 'Blocked by “Design”')

  // Moving it to Done asks; "Cancel" leaves it where it was.
  const questions: string[] = []
  bob.page.once('dialog', (d) => {
    questions.push(d.message())
    void d.dismiss()
  })
  await bob.dragTask('Build', 'Done')
  await expect.poll(() => questions).toEqual(['Blocked by “Design” — move to Done anyway?'])
  await expect.poll(() => bob.cardTitlesIn('To do')).toEqual(['Design', 'Build'])
  await expect.poll(() => ada.cardTitlesIn('Done')).toEqual([])

  // "OK" moves it, for everyone.
  bob.page.once('dialog', (d) => {
    questions.push(d.message())
    void d.accept()
  })
  await bob.dragTask('Build', 'Done')
  await expect.poll(() => bob.cardTitlesIn('Done')).toEqual(['Build'])
  await expect.poll(() => ada.cardTitlesIn('Done'), LIVE).toEqual(['Build'])
  expect(questions).toHaveLength(2)

  // A blocker in the trash is kept, struck through "in trash", and no longer blocks.
  await ada.openTask('Design')
  await adaPanel.moveToTrash()
  await expect(bob.card('Build').getByTestId('card-blocked')).toHaveCount(0, LIVE)
  await bob.openTask('Build')
  const bobPanel = new TaskPanel(bob.page)
  const row = bobPanel.relationsOf('blocked_by')
  await expect(row).toHaveAttribute('data-trashed', 'true')
  await expect(row).toContainText('in trash')
  await expect(row.getByRole('button', { name: 'Design', exact: true })).toHaveCSS(
    'text-decoration-line',
    'line-through',
  )
  // Each related task opens from the list.
  await row.getByRole('button', { name: 'Design', exact: true }).click()
  await expect(bobPanel.title).toHaveValue('Design')
  // Build, in Done now, reads as done from the trashed Design.
  const blocks = bobPanel.relationsOf('blocks')
  await expect(blocks.getByRole('button', { name: 'Build', exact: true })).toBeVisible()
  await expect(blocks).toContainText('done')
})
