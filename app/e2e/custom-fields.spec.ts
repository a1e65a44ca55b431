import { expect, saveScreenshot, test } from './fixtures'
import { FieldsPage } from './page-models/fields-page'
import { TaskPanel } from './page-models/task-panel'

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
