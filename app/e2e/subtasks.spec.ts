import { expect, test, untilAvailableOffline } from './fixtures'
import type { BoardPage } from './page-models/board-page'
import { CommandPalette } from './page-models/command-palette'
import { TaskPanel } from './page-models/task-panel'
import { ViewsBar } from './page-models/views-bar'

/** Builds `child` under the task whose panel is open, then opens `child` and adds `grandchildren`. */
async function buildBranch(
  board: BoardPage,
  child: string,
  grandchildren: string[],
): Promise<void> {
  const panel = new TaskPanel(board.page)
  await panel.addSubtasks([child])
  await panel.openSubtask(child)
  await panel.addSubtasks(grandchildren)
}

test('two people build a three-level subtask tree at once, one of them offline, and both end with the same tree', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: a,
    teammate: b,
  } = await sharedBoards('Launch', 'Ada', {
    name: 'Bob',
    role: 'member',
  })
  await a.goto(projectId)
  await a.addTasks('To do', ['Launch site'])
  await a.waitSaved()
  await b.goto(projectId)
  await expect(b.card('Launch site')).toBeVisible()

  await untilAvailableOffline(a.page)
  await a.page.context().setOffline(true)
  await expect(a.syncIndicator).toHaveText('Offline')

  // Ada (offline) and Bob (online) each grow a branch under the same task.
  await a.openTask('Launch site')
  await b.openTask('Launch site')
  await buildBranch(a, 'Design', ['Mockups', 'Logo'])
  await buildBranch(b, 'Copy', ['Headlines'])
  const panelA = new TaskPanel(a.page)
  const panelB = new TaskPanel(b.page)
  // Three levels: the grandchild's panel names both ancestors, each one click away.
  await panelA.openSubtask('Mockups')
  await expect.poll(() => panelA.breadcrumbTitles()).toEqual(['Launch site', 'Design'])
  // Bob cannot see Ada's branch yet.
  await expect(b.card('Design')).toHaveCount(0)

  await a.page.context().setOffline(false)
  await a.waitSaved()
  await expect(b.card('Mockups')).toBeVisible()
  await expect(a.card('Headlines')).toBeVisible()

  // The same tree on both screens: the list nests every subtask under its parent.
  const listA = new ViewsBar(a.page)
  const listB = new ViewsBar(b.page)
  await panelA.close()
  await panelB.close()
  await listA.tab('list').click()
  await listB.tab('list').click()
  await expect.poll(() => listA.listTree()).toHaveLength(6)
  const tree = await listA.listTree()
  await expect.poll(() => listB.listTree()).toEqual(tree)
  expect(tree[0]).toBe('Launch site')
  expect([...tree].sort()).toEqual(
    ['Launch site', '  Design', '    Mockups', '    Logo', '  Copy', '    Headlines'].sort(),
  )
  // Children follow their parent directly.
  const at = (t: string) => tree.indexOf(t)
  expect(tree.slice(at('  Design') + 1, at('  Design') + 3).sort()).toEqual([
    '    Logo',
    '    Mockups',
  ])
  expect(tree[at('  Copy') + 1]).toBe('    Headlines')

  // Both see the parent's progress and, through the breadcrumb, a subtask's place; the
  // subtasks of the root are in one order for both.
  const orders: string[][] = []
  for (const board of [a, b]) {
    await board.page.getByTestId('view-tab-board').click()
    await expect(board.cardTitled('Launch site').getByTestId('card-subtasks')).toHaveText('0/2')
    await expect(board.card('Mockups').getByTestId('card-parent')).toHaveText('Design')
    const panel = new TaskPanel(board.page)
    await board.openTask('Headlines')
    await expect.poll(() => panel.breadcrumbTitles()).toEqual(['Launch site', 'Copy'])
    await panel.breadcrumb.getByRole('button', { name: 'Launch site' }).click()
    await expect(panel.title).toHaveValue('Launch site')
    await expect(panel.subtasks).toHaveCount(2)
    orders.push(await panel.subtaskTitles())
    await panel.close()
  }
  expect(orders[1]).toEqual(orders[0])
  expect([...orders[0]!].sort()).toEqual(['Copy', 'Design'])
})

test('a checklist item becomes a subtask with its text and done state; the palette adds a subtask; trash takes and restores the subtree', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: a,
    teammate: b,
  } = await sharedBoards('Trip', 'Ada', {
    name: 'Bob',
    role: 'member',
  })
  await a.goto(projectId)
  await a.addTasks('To do', ['Plan trip'])
  await a.openTask('Plan trip')
  const panel = new TaskPanel(a.page)
  await panel.addChecklistItems(['Book hotel', 'Buy tickets'])
  await panel.checklistItem('Buy tickets').check()

  await panel.convertChecklistItem('Buy tickets')
  await expect(panel.subtask('Buy tickets')).toBeVisible()
  await expect(panel.checklistItem('Buy tickets')).toHaveCount(0)
  await expect(panel.checklistItem('Book hotel')).not.toBeChecked()
  // Done: it is in a done column, and the parent counts it as done.
  await expect(panel.subtask('Buy tickets').getByTestId('subtask-status')).toHaveText('Done')
  await expect(panel.subtaskProgress).toHaveText('1/1')
  await panel.convertChecklistItem('Book hotel')
  await expect(panel.subtask('Book hotel').getByTestId('subtask-status')).toHaveText('To do')
  await expect(panel.subtaskProgress).toHaveText('1/2')

  // ⌘K on the open task: "Create subtask".
  const palette = new CommandPalette(a.page)
  await palette.open()
  await palette.run('create subtask', /Create subtask of “Plan trip”/)
  await palette.run('Pack bags', 'Create subtask “Pack bags”')
  await palette.expectClosed()
  await expect(panel.subtask('Pack bags')).toBeVisible()
  await expect(panel.subtaskProgress).toHaveText('1/3')
  await panel.close()

  // The teammate sees the converted items as cards under their parent.
  await b.goto(projectId)
  await expect.poll(() => b.cardTitlesIn('Done')).toEqual(['Buy tickets'])
  await expect(b.card('Buy tickets').getByTestId('card-parent')).toHaveText('Plan trip')
  await expect(b.cardTitled('Plan trip').getByTestId('card-subtasks')).toHaveText('1/3')

  // "Show subtasks" off: only top-level cards, and the URL keeps it.
  const views = new ViewsBar(b.page)
  await views.showSubtasks.click()
  await expect(views.showSubtasks).toHaveAttribute('aria-checked', 'false')
  await expect(b.card('Buy tickets')).toHaveCount(0)
  await expect(b.cardTitled('Plan trip')).toBeVisible()
  await expect(b.page).toHaveURL(/subtasks=hidden/)
  await b.page.reload()
  await b.board.waitFor()
  await expect(b.cardTitled('Plan trip')).toBeVisible()
  await expect(b.card('Book hotel')).toHaveCount(0)
  await views.showSubtasks.click()
  await expect(b.card('Book hotel')).toBeVisible()

  // Trashing the parent says what goes with it; restoring brings the subtree back.
  // (Its subtasks' cards also show "Plan trip": the card titled so is the one to open.)
  await a.cardTitled('Plan trip').click()
  await expect(panel.title).toHaveValue('Plan trip')
  await panel.moveToTrash()
  await expect(panel.root.getByTestId('trash-subtree-note')).toContainText('3 subtasks')
  await panel.root.getByRole('button', { name: 'Move 4 tasks to trash' }).click()
  await expect(b.cardTitled('Plan trip')).toHaveCount(0)
  await expect(b.card('Buy tickets')).toHaveCount(0)
  await a.toolbar.getByRole('button', { name: /^Trash/ }).click()
  const item = a.page.getByTestId('trash-item')
  await expect(item).toHaveCount(1)
  await expect(item).toContainText('Plan trip')
  await expect(item.getByTestId('trash-subtasks')).toHaveText('+ 3 subtasks')
  await item.getByRole('button', { name: 'Restore' }).click()
  await expect(b.cardTitled('Plan trip').getByTestId('card-subtasks')).toHaveText('1/3')
  await expect(b.card('Pack bags').getByTestId('card-parent')).toHaveText('Plan trip')
})
