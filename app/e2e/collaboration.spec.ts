import { expect, saveScreenshot, test } from './fixtures'
import { TaskPanel } from './page-models/task-panel'

// Live = without a reload. How fast is a benchmark's question (docs/benchmarks.md, fan-out
// latency), not a test's: a loaded machine must not fail a correct build.
const LIVE = { timeout: 15_000 }

test('two teammates see each other’s adds, moves, edits and deletes live, without a reload', async ({
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

  await expect(a.presenceUsers).toHaveCount(2)
  await expect(b.presenceUsers).toHaveCount(2)

  await a.addTasks('To do', ['Shared task', 'Second task'])
  await expect(b.card('Shared task')).toBeVisible(LIVE)

  await b.dragTask('Shared task', 'In progress')
  await expect.poll(() => a.cardTitlesIn('In progress'), LIVE).toEqual(['Shared task'])

  await a.openTask('Shared task')
  const aPanel = new TaskPanel(a.page)
  await aPanel.title.fill('Shared task (renamed)')
  await expect(b.card('Shared task (renamed)')).toBeVisible(LIVE)

  await b.openTask('Second task')
  // Presence on the card: Bob sees that Ada has "Shared task (renamed)" open.
  await expect(b.card('Shared task (renamed)').getByTestId('card-viewers')).toBeVisible()
  await new TaskPanel(b.page).moveToTrash()
  await expect(a.card('Second task')).toHaveCount(0, LIVE)
})

test('two people typing in one rich description at once both keep their text, see each other’s caret and bold, and undo only their own typing', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: a,
    teammate: b,
  } = await sharedBoards('Docs', 'Ada', {
    name: 'Bob',
    role: 'member',
  })
  await a.goto(projectId)
  await b.goto(projectId)
  await a.addTasks('To do', ['Write spec', 'Other task'])
  await expect(b.card('Write spec')).toBeVisible(LIVE)
  await a.openTask('Write spec')
  const aPanel = new TaskPanel(a.page)
  const bPanel = new TaskPanel(b.page)

  // Bob writing in another task's description: his caret does not show in Ada's.
  await b.openTask('Other task')
  await bPanel.focusDescriptionEnd()
  await bPanel.typeInDescription('Elsewhere')
  await expect(a.card('Other task').getByTestId('card-viewers')).toBeVisible(LIVE)
  await expect(aPanel.description).toBeVisible()
  await expect(aPanel.caretLabels()).toHaveCount(0)
  await bPanel.close()
  await b.openTask('Write spec')

  // Ada starts the first line, Bob a second one; then both type at once, with real key
  // presses, each at the end of their own line. (Two carets at the very same spot would
  // interleave letters: y-prosemirror keeps a caret at a line's end after a teammate's
  // inserted letters. Typing at once into an empty description is covered letter by letter
  // in description-editor.test.ts.)
  await aPanel.focusDescriptionEnd()
  await aPanel.typeInDescription('Intro:')
  await expect(bPanel.description).toContainText('Intro:', LIVE)
  await bPanel.focusDescriptionEnd()
  await b.page.keyboard.press('Enter')
  await bPanel.typeInDescription('Details:')
  await expect(aPanel.description).toContainText('Details:', LIVE)
  await aPanel.focusDescriptionLineEnd(0)
  await bPanel.focusDescriptionLineEnd(1)
  await Promise.all([
    aPanel.typeInDescription(' Ada writes the intro.'),
    bPanel.typeInDescription(' Bob adds the details.'),
  ])
  for (const panel of [aPanel, bPanel]) {
    await expect(panel.description).toContainText('Intro: Ada writes the intro.', LIVE)
    await expect(panel.description).toContainText('Details: Bob adds the details.', LIVE)
  }
  await expect
    .poll(async () => (await aPanel.descriptionText()) === (await bPanel.descriptionText()))
    .toBe(true)
  // Each sees where the other is typing.
  await expect(bPanel.caretLabels('Ada')).toBeVisible(LIVE)
  await expect(aPanel.caretLabels('Bob')).toBeVisible(LIVE)

  // Bold from the toolbar reaches the teammate as bold.
  await aPanel.descriptionTool('Bold').click()
  await expect(aPanel.descriptionTool('Bold')).toHaveAttribute('aria-pressed', 'true')
  await aPanel.typeInDescription('Ship it')
  await expect.poll(() => bPanel.descriptionBoldText(), LIVE).toContain('Ship it')
  await expect(bPanel.caretLabels('Ada')).toBeVisible()
  // Bob in the dark theme: the editor, toolbar and Ada's caret, for a visual check.
  await b.page.emulateMedia({ colorScheme: 'dark' })
  await b.page.reload()
  await expect(bPanel.caretLabels('Ada')).toBeVisible()
  await saveScreenshot(b.page, 'task-description-dark')

  // Ctrl+Z in the editor takes back Ada's typing only: Bob's text stays everywhere, and
  // extra presses neither reach Bob's text nor the board's own undo (Ada's added tasks).
  for (let i = 0; i < 4; i++) await aPanel.undoInDescription()
  for (const panel of [aPanel, bPanel]) {
    await expect(panel.description).not.toContainText('Ada writes the intro.')
    await expect(panel.description).not.toContainText('Ship it')
    await expect(panel.description).toContainText('Bob adds the details.')
  }
  await aPanel.close()
  await expect(a.card('Other task')).toBeVisible()
  await expect(b.card('Other task')).toBeVisible()
})
