import type { Locator, Page } from '@playwright/test'

/** Settings → API tokens. */
export class ApiTokensPage {
  constructor(private readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('/settings/tokens')
    await this.page.getByRole('heading', { name: 'API tokens' }).waitFor()
  }

  /** Fills the "Create a token" form and submits it. */
  async create(opts: {
    name: string
    scope: 'Read only' | 'Read and write'
    projects?: string[]
    expires: 'Never' | '7 days' | '30 days' | '90 days' | '1 year'
  }): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Create a token' })
    await form.getByLabel('Name').fill(opts.name)
    await form.getByLabel(opts.scope).check()
    if (opts.projects) {
      await form.getByLabel('Only these projects').check()
      for (const p of opts.projects) await form.getByLabel(p, { exact: true }).check()
    }
    await form.getByLabel('Expires').selectOption({ label: opts.expires })
    await form.getByRole('button', { name: 'Create token' }).click()
  }

  /** The secret shown once after creating a token. */
  get secret(): Locator {
    return this.page.getByLabel('New token secret')
  }

  get newToken(): Locator {
    return this.page.getByRole('region', { name: 'New token' })
  }

  row(name: string): Locator {
    return this.page.getByRole('listitem', { name })
  }

  async revoke(name: string): Promise<void> {
    await this.row(name).getByRole('button', { name: 'Revoke' }).click()
    await this.row(name).getByRole('button', { name: 'Revoke now' }).click()
  }
}
