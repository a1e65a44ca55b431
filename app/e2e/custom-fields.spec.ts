import { expect, saveScreenshot, test } from './fixtures'
import { BoardPage } from './page-models/board-page'
import { FieldsPage } from './page-models/fields-page'
import { TaskPanel } from './page-models/task-panel'
import { ViewsBar } from './page-models/views-bar'

test('an admin defines a select field, a member sets it on a card, and removing the option shows "removed option"', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: ada,
    teammate: bob,
  } = await sharedBoards('Fields', 'Ada', { name: 'Bob', role: 'member' })

  // Ada (owner) defines "Stage" with two coloured options, shown on cards.
  const fields = new FieldsPage(ada.page)
  await fields.goto(projectId)
  await fields.addField('Stage', 'Single select', { onCards: true })
  await fields.addOption('Stage', 'Spec', '#3b82f6')
  await fields.addOption('Stage', 'Build', '#22c55e')

  await ada.goto(projectId)
  await ada.addTasks('To do', ['Pricing page'])
  await ada.waitSaved()

  // Bob (member) picks "Spec" in the task panel; the card shows it in the option's colour.
  await bob.goto(projectId)
  await bob.openTask('Pricing page')
  const panel = new TaskPanel(bob.page)
  await panel.root.getByLabel('Stage', { exact: true }).selectOption({ label: 'Spec' })
  await panel.close()
  const bobChip = bob.card('Pricing page').getByTestId('field-option')
  await expect(bobChip).toHaveText('Spec')
  await expect(bobChip).toHaveCSS('background-color', 'rgb(59, 130, 246)')
  await expect(ada.card('Pricing page').getByTestId('field-option')).toHaveText('Spec')

  // Ada removes the option: the value stays on the card, shown as "removed option".
  await fields.goto(projectId)
  await fields.removeOption('Stage', 'Spec')
  await expect(bobChip).toHaveText('removed option')
  await expect(bobChip).toHaveAttribute('data-removed', 'true')
  await saveScreenshot(bob.page, 'custom-fields-removed-option')

  // The panel says so too, and another option can still be picked.
  await bob.openTask('Pricing page')
  const stage = panel.root.getByLabel('Stage', { exact: true })
  await expect(stage.locator('option:checked')).toHaveText('Removed option')
  await stage.selectOption({ label: 'Build' })
  await panel.close()
  await expect(bobChip).toHaveText('Build')
})

test('a member filters the board by a select field from the filter bar, the column counts follow, and the URL reproduces it in a fresh page', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: ada,
    teammate: bob,
  } = await sharedBoards('Field filters', 'Ada', { name: 'Bob', role: 'member' })
  const fields = new FieldsPage(ada.page)
  await fields.goto(projectId)
  await fields.addField('Stage', 'Single select')
  await fields.addOption('Stage', 'Spec', '#3b82f6')
  await fields.addOption('Stage', 'Build', '#22c55e')
  await fields.addField('Cost', 'Number')
  await ada.goto(projectId)
  await ada.addTasks('To do', ['Pricing page', 'Login form', 'Docs'])
  await ada.addTasks('In progress', ['API keys'])
  const panel = new TaskPanel(ada.page)
  for (const [title, stage] of [
    ['Pricing page', 'Spec'],
    ['Login form', 'Build'],
    ['API keys', 'Spec'],
  ] as const) {
    await ada.openTask(title)
    await panel.root.getByLabel('Stage', { exact: true }).selectOption({ label: stage })
    await panel.close()
  }
  await ada.openTask('Login form')
  await panel.root.getByLabel('Cost', { exact: true }).fill('8')
  await panel.root.getByLabel('Cost', { exact: true }).press('Enter')
  await panel.close()
  await ada.waitSaved()

  // Bob filters by Stage = Spec with the keyboard; a chip says so and the counts follow.
  await bob.goto(projectId)
  const bar = new ViewsBar(bob.page)
  const todo = bob.column('To do').getByTestId('column-count')
  const doing = bob.column('In progress').getByTestId('column-count')
  await expect(todo).toHaveText('3')
  await bar.filterByCustomField('Stage', 'Spec')
  await expect(bar.customChip('Stage')).toHaveText(/Stage:\s*Spec/)
  await expect.poll(() => bob.cardTitlesIn('To do')).toEqual(['Pricing page'])
  await expect(todo).toHaveText('1')
  await expect(todo).toHaveAttribute('data-total', '3')
  await expect(doing).toHaveText('1')
  // A second value widens the filter (any of them), as for built-in fields.
  await bar.filterByCustomField('Stage', 'Build')
  await expect(bar.customChip('Stage')).toHaveText(/Stage:\s*Spec, Build/)
  await expect.poll(() => bob.cardTitlesIn('To do')).toEqual(['Pricing page', 'Login form'])
  await expect(todo).toHaveText('2')
  await saveScreenshot(bob.page, 'custom-field-filter')

  // The URL alone reproduces it: a fresh page shows the same chip and counts.
  const url = bob.page.url()
  expect(url).toContain('cf=')
  const fresh = new BoardPage(await bob.page.context().newPage())
  await fresh.page.goto(url)
  await fresh.board.waitFor()
  await expect(new ViewsBar(fresh.page).customChip('Stage')).toHaveText(/Stage:\s*Spec, Build/)
  await expect.poll(() => fresh.cardTitlesIn('To do')).toEqual(['Pricing page', 'Login form'])
  await expect(fresh.column('To do').getByTestId('column-count')).toHaveText('2')
  await expect(fresh.column('In progress').getByTestId('column-count')).toHaveText('1')

  // Another field narrows it further ("and" between fields): Cost ≥ 5, typed by keyboard.
  const freshBar = new ViewsBar(fresh.page)
  await freshBar.filterByTypedValue('Cost', '5')
  await expect(freshBar.customChip('Cost')).toHaveText(/Cost:\s*≥ 5/)
  await expect.poll(() => fresh.cardTitlesIn('To do')).toEqual(['Login form'])
  await expect(fresh.column('In progress').getByTestId('column-count')).toHaveText('0')
  await freshBar.customChip('Cost').getByRole('button', { name: 'Remove Cost filter' }).click()

  // Removing the chip shows every task again.
  await freshBar.customChip('Stage').getByRole('button', { name: 'Remove Stage filter' }).click()
  await expect(fresh.column('To do').getByTestId('column-count')).toHaveText('3')
  expect(fresh.page.url()).not.toContain('cf=')
})
