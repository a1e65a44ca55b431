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
}
