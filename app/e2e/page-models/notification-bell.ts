import type { Locator, Page } from '@playwright/test'

/** The bell in the app header and its dropdown. */
export class NotificationBell {
  constructor(private readonly page: Page) {}

  get button(): Locator {
    return this.page.getByTestId('notification-bell')
  }

  /** The unread badge (absent when nothing is unread). */
  get count(): Locator {
    return this.button.getByTestId('notification-count')
  }

  get list(): Locator {
    return this.page.getByTestId('notification-list')
  }

  get items(): Locator {
    return this.list.getByTestId('notification-item')
  }

  async open(): Promise<void> {
    await this.button.click()
    await this.list.waitFor()
  }

  /** Opens the bell and clicks the notification containing `text`. */
  async openNotification(text: string | RegExp): Promise<void> {
    await this.open()
    await this.items.filter({ hasText: text }).first().click()
  }

  async markAllRead(): Promise<void> {
    await this.list.getByRole('button', { name: 'Mark all read' }).click()
  }

  async close(): Promise<void> {
    await this.page.keyboard.press('Escape')
    await this.list.waitFor({ state: 'detached' })
  }
}
