import type { Locator, Page } from '@playwright/test'

/** Log in, "Forgot password?", the reset link's page. */
export class PasswordPages {
  constructor(private readonly page: Page) {}

  async requestReset(email: string): Promise<void> {
    await this.page.goto('/login')
    await this.page.getByRole('link', { name: 'Forgot password?' }).click()
    await this.page.getByLabel('Email').fill(email)
    await this.page.getByRole('button', { name: 'Send reset link' }).click()
  }

  get heading(): Locator {
    return this.page.getByRole('heading', { level: 1 })
  }

  get error(): Locator {
    return this.page.getByRole('alert')
  }

  async openResetLink(link: string): Promise<void> {
    const url = new URL(link)
    await this.page.goto(url.pathname + url.search)
  }

  async setNewPassword(password: string): Promise<void> {
    await this.page.getByLabel('New password', { exact: true }).fill(password)
    await this.page.getByRole('button', { name: 'Set new password' }).click()
  }

  async logIn(email: string, password: string): Promise<void> {
    await this.page.goto('/login')
    await this.page.getByLabel('Email').fill(email)
    await this.page.getByLabel('Password', { exact: true }).fill(password)
    await this.page.getByRole('button', { name: 'Log in' }).click()
  }
}
