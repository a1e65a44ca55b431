import type { Locator, Page } from '@playwright/test'

/** A project's activity feed (/projects/:id/activity). */
export class ActivityPage {
  constructor(private readonly page: Page) {}

  get root(): Locator {
    return this.page.getByTestId('activity-page')
  }

  get entries(): Locator {
    return this.root.getByTestId('activity-entry')
  }

  entry(text: string | RegExp): Locator {
    return this.entries.filter({ hasText: text })
  }

  async filterBy(member: string): Promise<void> {
    await this.root.getByLabel('Filter by member').selectOption({ label: member })
  }

  /** Follows an entry's link to its task. */
  async openEntry(text: string | RegExp): Promise<void> {
    await this.entry(text).first().getByRole('link').click()
  }
}
