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

  /** The marks a chart draws for its figures (bars, areas, lines, dots); none when empty. */
  chartMarks(id: string): Locator {
    return this.chart(id).locator(
      '.recharts-bar-rectangle, .recharts-area-area, .recharts-line-curve, .recharts-scatter-symbol',
    )
  }

  /** A chart's "nothing to show yet" placeholder. */
  chartEmpty(id: string): Locator {
    return this.chart(id).getByTestId('chart-empty')
  }

  /** The tick labels of a chart's horizontal axis, e.g. `26 Nov`. */
  xAxisLabels(id: string): Promise<string[]> {
    return this.chart(id)
      .locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value')
      .allTextContents()
  }

  /** Reloads the page (the app shell comes from the service worker when offline). */
  async reload(): Promise<void> {
    await this.page.reload()
    await this.root.waitFor()
  }

  /** Moves the pointer away and drops focus, so no button shows a hover or focus ring. */
  async restPointer(): Promise<void> {
    await this.page.mouse.move(0, 0)
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  }

  get refreshButton(): Locator {
    return this.page.getByRole('button', { name: 'Refresh reports' })
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
