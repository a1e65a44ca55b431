import type { Locator, Page } from '@playwright/test'

/** The task detail panel (at /projects/:id/tasks/:taskId). */
export class TaskPanel {
  constructor(private readonly page: Page) {}

  get root(): Locator {
    return this.page.getByTestId('task-panel')
  }

  get title(): Locator {
    return this.root.getByTestId('task-title')
  }

  get description(): Locator {
    return this.root.getByTestId('task-description')
  }

  async setPriority(label: string): Promise<void> {
    await this.root.getByLabel('Priority').selectOption({ label })
  }

  async setDueDate(date: string): Promise<void> {
    await this.root.getByLabel('Due date').fill(date)
  }

  async addChecklistItems(items: string[]): Promise<void> {
    await this.root.getByRole('button', { name: 'Add item' }).click()
    const input = this.root.getByLabel('Checklist item')
    for (const item of items) {
      await input.fill(item)
      await input.press('Enter')
    }
    await input.press('Escape')
  }

  checklistItem(text: string): Locator {
    return this.root.getByLabel(`Done: ${text}`)
  }

  async toggleAssignee(name: string): Promise<void> {
    await this.root.getByRole('button', { name }).click()
  }

  async moveToTrash(): Promise<void> {
    await this.root.getByRole('button', { name: 'Move to trash' }).click()
  }

  async close(): Promise<void> {
    await this.root.getByRole('button', { name: 'Close task' }).click()
    await this.root.waitFor({ state: 'detached' })
  }
}
