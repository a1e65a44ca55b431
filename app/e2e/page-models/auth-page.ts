import type { Locator, Page } from '@playwright/test'

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
    await this.chooseSignOut()
    await this.page.waitForURL('**/login**')
  }

  /** Picks "Sign out" in the account menu, whatever follows (a question about unsynced changes). */
  async chooseSignOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Account menu' }).click()
    await this.page.getByRole('menuitem', { name: 'Sign out' }).click()
  }

  /** The question asked before deleting local data that holds unsynced changes. */
  get unsyncedDialog(): Locator {
    return this.page.getByTestId('unsynced-dialog')
  }

  /** IndexedDB databases of an account left on this device. */
  accountDatabases(userId: string): Promise<string[]> {
    return this.page.evaluate(async (prefix) => {
      const dbs = await indexedDB.databases()
      return dbs.map((d) => d.name ?? '').filter((name) => name.startsWith(prefix))
    }, `taskflow.${userId}.`)
  }
}
