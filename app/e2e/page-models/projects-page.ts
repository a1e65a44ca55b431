import type { Locator, Page } from '@playwright/test'

/** The projects list. */
export class ProjectsPage {
  constructor(private readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('/projects')
  }

  card(name: string): Locator {
    return this.page.getByTestId('project-card').filter({ hasText: name })
  }

  async create(name: string): Promise<void> {
    await this.page.getByLabel('New project name').fill(name)
    await this.page.getByRole('button', { name: 'Create' }).click()
    await this.card(name).waitFor()
  }

  async open(name: string): Promise<void> {
    await this.card(name).getByRole('link', { name, exact: true }).click()
    await this.page.waitForURL('**/projects/*')
  }
}
