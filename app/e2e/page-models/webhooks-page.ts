import type { Locator, Page } from '@playwright/test'

/** The Webhooks section of a project's settings page. */
export class WebhooksPage {
  constructor(private readonly page: Page) {}

  get section(): Locator {
    return this.page.getByRole('region', { name: 'Webhooks' })
  }

  async add(url: string, events: string[]): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Add webhook' })
    await form.getByLabel('Webhook URL').fill(url)
    for (const box of await form.getByRole('checkbox').all()) await box.uncheck()
    for (const ev of events) await form.getByRole('checkbox', { name: ev }).check()
    await form.getByRole('button', { name: 'Add webhook' }).click()
  }

  get secret(): Locator {
    return this.page.getByTestId('webhook-secret')
  }

  hook(url: string): Locator {
    return this.page.getByTestId('webhook-row').filter({ hasText: url })
  }

  deliveries(url: string): Locator {
    return this.hook(url).getByTestId('delivery-row')
  }
}
