import { expect, type Locator, type Page } from '@playwright/test'

/** The ⌘K / Ctrl+K command palette, driven from the keyboard only. */
export class CommandPalette {
  constructor(readonly page: Page) {}

  get dialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Command palette' })
  }

  get input(): Locator {
    return this.dialog.getByRole('combobox')
  }

  async open(): Promise<void> {
    await this.page.keyboard.press('Control+k')
    await expect(this.dialog).toBeVisible()
  }

  /** Types into the palette and runs the item cmdk highlights (the best match). */
  async run(text: string, expectHighlighted?: string | RegExp): Promise<void> {
    await expect(this.input).toBeFocused()
    await this.page.keyboard.type(text)
    if (expectHighlighted) {
      await expect(this.dialog.locator('[cmdk-item][data-selected="true"]')).toContainText(
        expectHighlighted,
      )
    }
    await this.page.keyboard.press('Enter')
  }

  async expectClosed(): Promise<void> {
    await expect(this.dialog).toHaveCount(0)
  }
}
