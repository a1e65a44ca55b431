import { expect, type Locator, type Page } from '@playwright/test'

/** Project settings → Fields (at /projects/:id/fields). */
export class FieldsPage {
  constructor(readonly page: Page) {}

  async goto(projectId: string): Promise<void> {
    await this.page.goto(`/projects/${projectId}/fields`)
    await this.page.getByRole('form', { name: 'New field' }).waitFor()
  }

  row(name: string): Locator {
    return this.page
      .getByTestId('field-row')
      .filter({ has: this.page.getByLabel(`Name of field ${name}`) })
  }

  async addField(name: string, type: string, opts: { onCards?: boolean } = {}): Promise<void> {
    const form = this.page.getByRole('form', { name: 'New field' })
    await form.getByLabel('Field name').fill(name)
    await form.getByLabel('Field type').selectOption({ label: type })
    if (opts.onCards) await form.getByLabel('Show on cards').check()
    await form.getByRole('button', { name: 'Add field' }).click()
    await expect(this.row(name)).toBeVisible()
  }

  async addOption(field: string, name: string, color: string): Promise<void> {
    const form = this.page.getByRole('form', { name: `New option of ${field}` })
    await form.getByLabel(`Colour of new option of ${field}`).fill(color)
    await form.getByRole('textbox', { name: `New option of ${field}`, exact: true }).fill(name)
    await form.getByRole('button', { name: 'Add option' }).click()
    await expect(this.row(field).getByLabel(`Name of option ${name}`)).toBeVisible()
  }

  /** Removes an option, accepting the confirmation. */
  async removeOption(field: string, name: string): Promise<void> {
    this.page.once('dialog', (d) => void d.accept())
    await this.row(field)
      .getByRole('button', { name: `Remove option ${name}` })
      .click()
    await expect(this.row(field).getByLabel(`Name of option ${name}`)).toHaveCount(0)
  }
}
