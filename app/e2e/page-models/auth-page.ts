import type { Page } from '@playwright/test'

/** Sign-up and log-in screens. */
export class AuthPage {
  constructor(private readonly page: Page) {}

  async signUp(input: { name: string; email: string; password: string }): Promise<void> {
    await this.page.goto('/signup')
    await this.page.getByLabel('Name').fill(input.name)
    await this.page.getByLabel('Email').fill(input.email)
    await this.page.getByLabel('Password').fill(input.password)
    await this.page.getByRole('button', { name: 'Sign up' }).click()
    await this.page.waitForURL('**/projects')
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Account menu' }).click()
    await this.page.getByRole('menuitem', { name: 'Sign out' }).click()
    await this.page.waitForURL('**/login**')
  }
}
