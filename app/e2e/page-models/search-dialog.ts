import type { Locator, Page } from '@playwright/test'

/** The search dialog opened by `/` (features/search/SearchDialog.tsx). */
export class SearchDialog {
  constructor(private readonly page: Page) {}

  get root(): Locator {
    return this.page.getByTestId('search-dialog')
  }

  get input(): Locator {
    return this.root.getByRole('combobox', { name: 'Search tasks' })
  }

  get note(): Locator {
    return this.root.getByTestId('search-note')
  }

  results(source?: 'device' | 'server'): Locator {
    const all = this.root.getByTestId('search-result')
    return source ? all.and(this.page.locator(`[data-source="${source}"]`)) : all
  }

  /** Opens the dialog with the `/` shortcut (focus must not be in a field). */
  async open(): Promise<void> {
    await this.page.keyboard.press('/')
    await this.input.waitFor()
  }
}
