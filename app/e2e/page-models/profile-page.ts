import type { Locator, Page } from '@playwright/test'

/** The profile page with notification preferences. */
export class ProfilePage {
  constructor(private readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('/profile')
    await this.preferences.waitFor()
  }

  get preferences(): Locator {
    return this.page.getByTestId('notification-preferences')
  }

  /** The checkbox of one trigger (its row label) and channel. */
  channel(trigger: string, channel: 'in app' | 'e-mail'): Locator {
    return this.preferences.getByLabel(`${trigger}: ${channel}`)
  }

  emailMode(label: 'Right away' | 'Once a day (digest)'): Locator {
    return this.preferences.getByLabel(label)
  }

  /** Fills the "Change password" form and submits it. */
  async changePassword(current: string, next: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Change password' })
    await form.getByLabel('Current password').fill(current)
    await form.getByLabel('New password').fill(next)
    await form.getByRole('button', { name: 'Change password' }).click()
  }

  get passwordForm(): Locator {
    return this.page.getByRole('form', { name: 'Change password' })
  }
}
