import { readFile } from 'node:fs/promises'
import type { Locator, Page } from '@playwright/test'

/** A project's Reports page: summary tiles, charts, range picker, offline notice. */
export class ReportsPage {
  constructor(readonly page: Page) {}

  async goto(projectId: string): Promise<void> {
    await this.page.goto(`/projects/${projectId}/reports`)
    await this.root.waitFor()
  }

  get root(): Locator {
    return this.page.getByTestId('reports-page')
  }

  /** The number shown on a summary tile, e.g. `tile('Done')`. */
  tile(label: string): Locator {
    return this.page
      .getByTestId('summary-tile')
      .filter({ has: this.page.getByTestId('tile-label').getByText(label, { exact: true }) })
      .getByTestId('tile-value')
  }

  /** A chart card by id: cumulative-flow, burnup, throughput, cycle-time, workload. */
  chart(id: string): Locator {
    return this.page.getByTestId(`chart-${id}`)
  }

  get offlineNotice(): Locator {
    return this.page.getByTestId('reports-offline')
  }

  async selectRange(days: 14 | 30 | 90): Promise<void> {
    await this.page
      .getByRole('group', { name: 'Date range' })
      .getByRole('button', { name: `Last ${days} days` })
      .click()
  }

  /** Clicks a chart's CSV button and returns the downloaded file's name and text. */
  async downloadCsv(chartTitle: string): Promise<{ filename: string; text: string }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByRole('button', { name: `Download ${chartTitle} as CSV` }).click(),
    ])
    const path = await download.path()
    return { filename: download.suggestedFilename(), text: await readFile(path, 'utf8') }
  }
}

/** The cross-project "My tasks" list. */
export class MyTasksPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'My tasks' })
      .click()
    await this.page.getByTestId('my-tasks-page').waitFor()
  }

  task(title: string): Locator {
    return this.page.getByTestId('my-task').filter({ hasText: title })
  }

  titles(): Promise<string[]> {
    return this.page.getByTestId('my-task-title').allTextContents()
  }
}
