import type { Locator, Page } from '@playwright/test'

/** The import page (`/projects/import`): pick a source and a file, map CSV columns, import. */
export class ImportPage {
  constructor(private readonly page: Page) {}

  async openFromProjects(): Promise<void> {
    await this.page.getByRole('link', { name: 'Import' }).click()
    await this.page.waitForURL('**/projects/import')
  }

  async chooseFile(
    source: 'Trello board' | 'CSV file' | 'TaskFlow export',
    name: string,
    text: string,
  ) {
    await this.page.getByRole('radio', { name: source }).check()
    await this.page.getByLabel('File to import').setInputFiles({
      name,
      mimeType: name.endsWith('.csv') ? 'text/csv' : 'application/json',
      buffer: Buffer.from(text, 'utf8'),
    })
  }

  /** "3 rows, separated by “;”." once the server's preview is in. */
  get detected(): Locator {
    return this.page.getByTestId('csv-detected')
  }

  mappingOf(field: string): Locator {
    return this.page.getByLabel(field, { exact: true })
  }

  async setDateFormat(format: string): Promise<void> {
    await this.page.getByLabel('Dates are written as').selectOption(format)
  }

  async importIt(): Promise<void> {
    await this.page.getByRole('button', { name: 'Import', exact: true }).click()
  }

  get result(): Locator {
    return this.page.getByRole('region', { name: 'Import result' })
  }

  async openProject(): Promise<void> {
    await this.page.getByRole('link', { name: 'Open the project' }).click()
    await this.page.waitForURL(/\/projects\/[0-9a-f-]{36}$/)
  }
}
