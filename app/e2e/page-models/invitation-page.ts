import type { Locator, Page } from '@playwright/test'

/** The landing page of an e-mailed invitation link. */
export class InvitationPage {
  constructor(private readonly page: Page) {}

  /** Opens the link's path (the mail's host is the server's public URL, not the test's). */
  async open(link: string): Promise<void> {
    await this.page.goto(new URL(link).pathname)
  }

  get card(): Locator {
    return this.page.getByRole('region', { name: 'Invitation' })
  }

  get heading(): Locator {
    return this.card.getByRole('heading')
  }

  async signUp(input: { name: string; password: string }): Promise<void> {
    await this.card.getByRole('link', { name: 'Sign up to join' }).click()
    await this.page.getByLabel('Name').fill(input.name)
    await this.page.getByLabel('Password').fill(input.password)
    await this.page.getByRole('button', { name: 'Sign up' }).click()
  }

  get signUpEmail(): Locator {
    return this.page.getByLabel('Email')
  }
}

/** The first link `<origin>/invitations/<token>` or `<origin>/reset-password?token=…` in a mail. */
export function linkIn(mailText: string, path: '/invitations/' | '/reset-password'): string {
  const match = new RegExp(`https?://\\S+${path.replace('?', '\\?')}\\S*`).exec(mailText)
  if (!match) throw new Error(`no ${path} link in: ${mailText}`)
  return match[0]
}
