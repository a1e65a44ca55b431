import { expect, type Locator, type Page } from '@playwright/test'

/** A project's board: columns, cards, toolbar (presence, sync indicator, undo). */
export class BoardPage {
  constructor(readonly page: Page) {}

  async goto(projectId: string): Promise<void> {
    await this.page.goto(`/projects/${projectId}`)
    await this.board.waitFor()
  }

  get board(): Locator {
    return this.page.getByTestId('board')
  }

  get projectId(): string {
    const match = /\/projects\/([^/?#]+)/.exec(this.page.url())
    if (!match?.[1]) throw new Error(`not on a board: ${this.page.url()}`)
    return match[1]
  }

  column(name: string): Locator {
    return this.page
      .getByTestId('column')
      .filter({ has: this.page.getByTestId('column-name').getByText(name, { exact: true }) })
  }

  columnNames(): Promise<string[]> {
    return this.page.getByTestId('column-name').allTextContents()
  }

  card(title: string): Locator {
    return this.page.getByTestId('task-card').filter({ hasText: title })
  }

  /** The card titled exactly `title` (a subtask's card also shows its parent's title). */
  cardTitled(title: string): Locator {
    return this.page
      .getByTestId('task-card')
      .filter({ has: this.page.getByTestId('task-title').getByText(title, { exact: true }) })
  }

  /** Opens the project's activity feed from the toolbar. */
  async openActivity(): Promise<void> {
    await this.page.getByRole('link', { name: 'Activity' }).click()
    await this.page.getByTestId('activity-page').waitFor()
  }

  /** The comment counter on a card (absent without comments). */
  cardCommentCount(title: string): Locator {
    return this.card(title).getByTestId('card-comments')
  }

  cardTitlesIn(column: string): Promise<string[]> {
    return this.column(column).getByTestId('task-title').allTextContents()
  }

  get toolbar(): Locator {
    return this.page.getByTestId('board-toolbar')
  }

  /** The toolbar's "⋯" menu button (shown on narrow screens). */
  get moreButton(): Locator {
    return this.page.getByRole('button', { name: 'More board actions' })
  }

  /** The open "⋯" menu. */
  get moreMenu(): Locator {
    return this.page.getByRole('menu').first()
  }

  get syncIndicator(): Locator {
    return this.page.getByTestId('sync-indicator')
  }

  get presenceUsers(): Locator {
    return this.page.getByTestId('presence-user')
  }

  async addColumn(name: string): Promise<void> {
    const input = this.page.getByLabel('Column name')
    if (!(await input.isVisible()))
      await this.page.getByRole('button', { name: 'Add column' }).click()
    await input.fill(name)
    await input.press('Enter')
    await this.column(name).waitFor()
  }

  /** Adds tasks one after another in the same inline field (type, Enter, keep typing). */
  async addTasks(column: string, titles: string[]): Promise<void> {
    const col = this.column(column)
    await col.getByRole('button', { name: 'Add task' }).click()
    const input = col.getByLabel('Task title')
    for (const title of titles) {
      await input.fill(title)
      await input.press('Enter')
      await expect(col.getByTestId('task-card').filter({ hasText: title })).toBeVisible()
    }
    await input.press('Escape')
  }

  /**
   * Drags a card with the mouse onto another column's empty area (appends it there). Right
   * after a previous move the cards may still be sliding into place and the last drop still
   * animating, so the press waits for both to finish and is retried until the drag overlay
   * shows this card. `{ refused: true }` (a read-only board) skips waiting for the drag to start.
   */
  async dragTask(title: string, toColumn: string, opts: { refused?: boolean } = {}): Promise<void> {
    const card = this.card(title)
    const mouse = this.page.mouse
    const overlay = this.page.getByTestId('drag-overlay')
    await expect(async () => {
      // The previous drag's overlay lingers through its drop animation, ignoring presses.
      await expect(overlay).toHaveCount(0)
      const from = await card.boundingBox()
      await this.page.evaluate(
        () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
      )
      const settled = await card.boundingBox()
      if (!from || !settled) throw new Error('drag source not visible')
      if (from.x !== settled.x || from.y !== settled.y) throw new Error('card still moving')
      await mouse.move(from.x + from.width / 2, from.y + from.height / 2)
      await mouse.down()
      await mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 10, { steps: 5 })
      if (opts.refused) return
      try {
        await expect(overlay.filter({ hasText: title })).toBeVisible({ timeout: 1_000 })
      } catch (err) {
        await mouse.up()
        throw err
      }
    }).toPass({ timeout: 10_000 })
    const target = this.column(toColumn).locator('[class*="overflow-y-auto"]')
    const to = await target.boundingBox()
    if (!to) throw new Error('drag target not visible')
    await mouse.move(to.x + to.width / 2, to.y + to.height - 12, { steps: 15 })
    await mouse.up()
  }

  /**
   * Moves a card with the keyboard only: focus it, Space picks it up, the arrow keys move
   * it (up/down among its column's cards, left/right to the neighbouring column), Space
   * drops it. Waits for the drop to finish (the drag overlay gone).
   */
  async keyboardMoveTask(
    title: string,
    keys: ('ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight')[],
  ): Promise<void> {
    const overlay = this.page.getByTestId('drag-overlay')
    await expect(overlay).toHaveCount(0)
    await this.card(title).focus()
    await this.page.keyboard.press('Space')
    await expect(overlay.filter({ hasText: title })).toBeVisible()
    // dnd-kit measures and resolves the drop target on the frames after each key.
    const frames = () =>
      this.page.evaluate(
        () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
      )
    await frames()
    for (const key of keys) {
      await this.page.keyboard.press(key)
      await frames()
    }
    await this.page.keyboard.press('Space')
    await expect(overlay).toHaveCount(0)
  }

  async openTask(title: string): Promise<void> {
    // A click right after a drag was once lost in CI (the panel never opened; see the
    // closing note of 2026-12-04): click again until the panel shows, so the tests about
    // what the panel does are not decided by that race, which stays open as a defect.
    const panel = this.page.getByTestId('task-panel')
    await expect(async () => {
      if (!(await panel.isVisible())) await this.card(title).click()
      await expect(panel).toBeVisible({ timeout: 5000 })
    }).toPass({ timeout: 30_000 })
  }

  async waitSaved(): Promise<void> {
    await expect(this.syncIndicator).toHaveAttribute('data-phase', 'saved')
  }

  /** Follows the toolbar's Reports link. */
  async openReports(): Promise<void> {
    await this.page.getByRole('link', { name: 'Reports' }).click()
    await this.page.getByTestId('reports-page').waitFor()
  }

  async undo(): Promise<void> {
    await this.page.keyboard.press('Control+z')
  }
}
