import { expect, type Locator, type Page } from '@playwright/test'

/** The project's view bar (tabs, filter, saved views) and the list view. */
export class ViewsBar {
  constructor(readonly page: Page) {}

  tab(kind: 'board' | 'list'): Locator {
    return this.page.getByTestId(`view-tab-${kind}`)
  }

  get chips(): Locator {
    return this.page.getByTestId('filter-chip')
  }

  chip(field: string): Locator {
    return this.page.locator(`[data-testid="filter-chip"][data-field="${field}"]`)
  }

  /** Ticks `value` under `field` in the Filter menu, with the keyboard-accessible menu. */
  async filterBy(field: string, value: string): Promise<void> {
    await this.page.getByTestId('filter-menu').click()
    await this.page.getByTestId(`filter-field-${field}`).click()
    await this.page.getByRole('menuitemcheckbox', { name: value, exact: true }).click()
    await this.page.keyboard.press('Escape')
    await this.page.keyboard.press('Escape')
  }

  /** The chip of the custom field named `name`. */
  customChip(name: string): Locator {
    return this.chips.filter({ hasText: `${name}:` })
  }

  /**
   * Ticks `value` of the custom field `field` with the keyboard only: Enter opens the Filter
   * menu, typing the field's name goes to it, → opens its values, Enter ticks one, Escape
   * closes.
   */
  async filterByCustomField(field: string, value: string): Promise<void> {
    await this.page.getByTestId('filter-menu').focus()
    await this.page.keyboard.press('Enter')
    const trigger = this.page.getByTestId('filter-custom-field').filter({ hasText: field })
    await this.page.getByTestId('filter-field-assignee').waitFor()
    await this.page.keyboard.type(field)
    await expect(trigger).toHaveAttribute('data-highlighted', '')
    await this.page.keyboard.press('ArrowRight')
    const item = this.page.getByRole('menuitemcheckbox', { name: value, exact: true })
    await item.focus()
    await this.page.keyboard.press('Enter')
    await expect(item).toHaveAttribute('aria-checked', 'true')
    await this.page.keyboard.press('Escape')
    await this.page.keyboard.press('Escape')
    await expect(this.page.getByRole('menu')).toHaveCount(0)
  }

  /**
   * Types a value of the custom field `field` with the keyboard only: its submenu's first
   * item ("Between…", "Range…", "Contains…") puts the caret in the box, Tab reaches the
   * second box, Enter adds the value and Escape closes the menu.
   */
  async filterByTypedValue(field: string, first: string, second?: string): Promise<void> {
    await this.page.getByTestId('filter-menu').focus()
    await this.page.keyboard.press('Enter')
    const trigger = this.page.getByTestId('filter-custom-field').filter({ hasText: field })
    await this.page.getByTestId('filter-field-assignee').waitFor()
    await this.page.keyboard.type(field)
    await expect(trigger).toHaveAttribute('data-highlighted', '')
    await this.page.keyboard.press('ArrowRight')
    await this.page.keyboard.press('Enter')
    const box = this.page.getByTestId('filter-custom-input').locator('input').first()
    await expect(box).toBeFocused()
    await this.page.keyboard.type(first)
    if (second !== undefined) {
      await this.page.keyboard.press('Tab')
      await this.page.keyboard.type(second)
    }
    await this.page.keyboard.press('Enter')
    await expect(box).toHaveValue('')
    await this.page.keyboard.press('Escape')
    await this.page.keyboard.press('Escape')
    await expect(this.page.getByRole('menu')).toHaveCount(0)
  }

  async filterText(text: string): Promise<void> {
    await this.page.getByTestId('filter-text').fill(text)
  }

  row(title: string): Locator {
    return this.page.locator(`[data-testid="list-row"][aria-label="${title}"]`)
  }

  /** The row of the task now titled `title`, followed by id through later renames. */
  async rowOf(title: string): Promise<Locator> {
    const id = await this.row(title).getAttribute('data-task-id')
    return this.page.locator(`[data-testid="list-row"][data-task-id="${id}"]`)
  }

  /** Opens the editor of a cell (click on its text) and returns the row. */
  async edit(row: Locator, column: string): Promise<Locator> {
    await row.getByTestId(`cell-${column}`).click()
    return row
  }

  async listTitles(): Promise<string[]> {
    return this.page
      .getByTestId('list-row')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))
  }

  /** The list's rows as indented titles ("  " per level of nesting), top to bottom. */
  async listTree(): Promise<string[]> {
    return this.page
      .getByTestId('list-row')
      .evaluateAll((els) =>
        els.map(
          (e) => '  '.repeat(Number(e.getAttribute('data-depth'))) + e.getAttribute('aria-label'),
        ),
      )
  }

  /** The "Show subtasks" switch of the view bar. */
  get showSubtasks(): Locator {
    return this.page.getByTestId('show-subtasks')
  }

  async saveView(name: string, shared: boolean): Promise<void> {
    await this.page.getByTestId('saved-views-menu').click()
    await this.page.getByTestId('save-view').click()
    const form = this.page.getByTestId('save-view-form')
    await form.getByLabel('View name').fill(name)
    await form.getByLabel(shared ? 'Shared with the project' : 'Only me').check()
    await form.getByRole('button', { name: 'Save view' }).click()
    await expect(this.page.getByTestId('current-view-name')).toHaveText(name)
  }

  async chooseView(name: string): Promise<void> {
    await this.page.getByTestId('saved-views-menu').click()
    await this.page.getByRole('menuitem', { name }).click()
  }
}
