import type { Locator, Page } from '@playwright/test'

/** Reads the server's outbox (fixtures' `server.mailTo`). */
type MailReader = { mailTo: (to: string, text: string) => Promise<string> }

/** Sign-up and log-in screens. */
export class AuthPage {
  constructor(
    private readonly page: Page,
    private readonly mail?: MailReader,
  ) {}

  /**
   * Signs up and ends signed in on the projects page: at once for the instance's first
   * account, otherwise through the verification link mailed to the address.
   */
  async signUp(input: { name: string; email: string; password: string }): Promise<void> {
    await this.submitSignUp(input)
    await this.page.waitForFunction(
      () =>
        location.pathname === '/projects' ||
        (document.body.textContent ?? '').includes('Check your e-mail'),
    )
    if (new URL(this.page.url()).pathname === '/projects') return
    if (!this.mail) throw new Error('signUp needs the server to read the verification mail')
    await this.page.goto(verifyPath(await this.mail.mailTo(input.email, '/verify-email/')))
    await this.page.waitForURL('**/projects')
  }

  /** Fills and sends the sign-up form, whatever the answer. */
  async submitSignUp(input: { name: string; email: string; password: string }): Promise<void> {
    await this.page.goto('/signup')
    await this.page.getByLabel('Name').fill(input.name)
    await this.page.getByLabel('Email').fill(input.email)
    await this.page.getByLabel('Password').fill(input.password)
    await this.page.getByRole('button', { name: 'Sign up' }).click()
  }

  async logIn(email: string, password: string): Promise<void> {
    await this.page.goto('/login')
    await this.page.getByLabel('Email').fill(email)
    await this.page.getByLabel('Password').fill(password)
    await this.page.getByRole('button', { name: 'Log in' }).click()
  }

  get heading(): Locator {
    return this.page.getByRole('heading', { level: 1 })
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

/** The path of the `/verify-email/<token>` link in a mail (its host is the public URL). */
export function verifyPath(mailText: string): string {
  const match = /https?:\/\/\S+(\/verify-email\/[A-Za-z0-9_-]{43})/.exec(mailText)
  if (!match) throw new Error(`no verification link in: ${mailText}`)
  return match[1]!
}
