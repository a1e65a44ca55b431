import { createSharedProject, expect, publishScreenshots, saveScreenshot, test } from './fixtures'
import { BoardPage } from './page-models/board-page'
import { TaskPanel } from './page-models/task-panel'

// A phone (iPhone 12–15 size): the PWA is used on phones.
test.use({ viewport: { width: 390, height: 844 } })

test('on a 390 px phone the board toolbar is one row, nothing scrolls sideways, and the ⋯ menu works by keyboard', async ({
  server,
  register,
  signedInPage,
}) => {
  const ada = await register('Ada')
  // A long name: it must give way, not push the actions onto a second row.
  const projectId = await createSharedProject(
    server,
    ada,
    'Quarterly marketing website relaunch and campaign',
    [],
  )
  const { page } = await signedInPage(ada)
  await page.setViewportSize({ width: 390, height: 844 })
  const board = new BoardPage(page)
  await board.goto(projectId)
  await board.addTasks('To do', ['Write copy', 'Old idea'])
  await board.openTask('Old idea')
  await new TaskPanel(page).moveToTrash()
  await expect(board.card('Old idea')).toHaveCount(0)
  await board.page.goto(`/projects/${projectId}`)
  await board.board.waitFor()
  await board.waitSaved()

  // One row: every visible item of the toolbar sits on the same line, and the bar is no
  // taller than one row of its tallest item plus its padding.
  const layout = await board.toolbar.evaluate((bar) => {
    const items = [...bar.children]
      .map((c) => c.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.height > 0)
    const style = getComputedStyle(bar)
    const padding = Number.parseFloat(style.paddingTop) + Number.parseFloat(style.paddingBottom)
    const border =
      Number.parseFloat(style.borderTopWidth) + Number.parseFloat(style.borderBottomWidth)
    return {
      height: bar.getBoundingClientRect().height,
      rowHeight: Math.max(...items.map((r) => r.height)) + padding + border,
      tops: items.map((r) => r.top),
      bottoms: items.map((r) => r.bottom),
      right: Math.max(...items.map((r) => r.right)),
    }
  })
  expect(layout.height).toBeLessThanOrEqual(layout.rowHeight + 0.5)
  expect(Math.max(...layout.tops)).toBeLessThan(Math.min(...layout.bottoms))
  expect(layout.right).toBeLessThanOrEqual(390)
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  // The less used actions are in the menu, not in the row.
  await expect(page.getByRole('link', { name: 'Reports' })).toBeHidden()
  await expect(board.moreButton).toBeVisible()

  // Keyboard only: open the menu, walk to Reports, open it.
  await board.moreButton.focus()
  await page.keyboard.press('Enter')
  await expect(board.moreMenu).toBeVisible()
  await saveScreenshot(page, 'board-phone')
  await expect(board.moreMenu.getByRole('menuitem')).toHaveText([
    'Activity',
    'Reports',
    'Project settings',
    'Trash (1)',
  ])
  await page.keyboard.press('ArrowDown')
  await expect(board.moreMenu.getByRole('menuitem', { name: 'Reports' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(new RegExp(`/projects/${projectId}/reports`))
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)

  // Back on the board: restore the deleted task from the trash submenu (→ opens it).
  await page.goBack()
  await board.board.waitFor()
  await board.moreButton.focus()
  await page.keyboard.press('Enter')
  await board.moreMenu.getByRole('menuitem', { name: 'Trash (1)' }).focus()
  await page.keyboard.press('ArrowRight')
  const restore = page.getByRole('menuitem', { name: 'Restore “Old idea”' })
  await expect(restore).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(board.card('Old idea')).toBeVisible()
  await expect(board.moreMenu).toBeHidden()

  // Escape closes the menu and gives focus back to its button.
  await board.moreButton.click()
  await expect(board.moreMenu).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(board.moreMenu).toBeHidden()
  await expect(board.moreButton).toBeFocused()

  // The other entries lead where their names say.
  await board.moreButton.click()
  await board.moreMenu.getByRole('menuitem', { name: 'Activity' }).click()
  await expect(page.getByTestId('activity-page')).toBeVisible()
  await page.goBack()
  await board.moreButton.click()
  await board.moreMenu.getByRole('menuitem', { name: 'Project settings' }).click()
  await expect(page).toHaveURL(new RegExp(`/projects/${projectId}/settings`))
  publishScreenshots('board-phone')
})
