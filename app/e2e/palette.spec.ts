import type { Page } from '@playwright/test'
import { expect, PASSWORD, type RunningServer, test, uniqueEmail } from './fixtures'
import { AuthPage } from './page-models/auth-page'
import { BoardPage } from './page-models/board-page'
import { CommandPalette } from './page-models/command-palette'
import { ProjectsPage } from './page-models/projects-page'
import { SearchDialog } from './page-models/search-dialog'
import { TaskPanel } from './page-models/task-panel'
import { ViewsBar } from './page-models/views-bar'

/** A new account with one new project, its board open. */
async function newBoard(page: Page, server: RunningServer, name: string, project: string) {
  await new AuthPage(page, server).signUp({ name, email: uniqueEmail('keys'), password: PASSWORD })
  const projects = new ProjectsPage(page)
  await projects.create(project)
  await projects.open(project)
  const board = new BoardPage(page)
  await board.board.waitFor()
  return board
}

test('keyboard only: the palette creates a task, a assigns it, the palette moves it, x selects two and p sets both priorities in one undo step', async ({
  server,
  page,
}) => {
  const board = await newBoard(page, server, 'Kim Keys', 'Keyboard board')
  const palette = new CommandPalette(page)

  // Ctrl+K → "Create task" → title → Enter: a card in the first column, focused.
  await palette.open()
  await palette.run('create task', 'Create task')
  await palette.run('Ship the release', 'Create task “Ship the release”')
  await palette.expectClosed()
  await expect.poll(() => board.cardTitlesIn('To do')).toEqual(['Ship the release'])
  await expect(board.card('Ship the release')).toBeFocused()

  // a → the assign choices for the focused task; "me" finds myself.
  await page.keyboard.press('a')
  await palette.run('me', 'Kim Keys (me)')
  await palette.expectClosed()
  await expect(board.card('Ship the release').getByTitle('Kim Keys')).toBeVisible()

  // The palette's "Move … to column" action, then the column.
  await palette.open()
  await palette.run('move to column', /Move .*Ship the release.* to column/)
  await palette.run('done', 'Done')
  await expect.poll(() => board.cardTitlesIn('Done')).toEqual(['Ship the release'])

  // c creates in the focused task's column; x selects it, k goes up, x selects the other.
  await expect(board.card('Ship the release')).toBeFocused()
  await page.keyboard.press('c')
  await palette.run('Write the notes', 'Create task “Write the notes”')
  await expect
    .poll(() => board.cardTitlesIn('Done'))
    .toEqual(['Ship the release', 'Write the notes'])
  await expect(board.card('Write the notes')).toBeFocused()
  await page.keyboard.press('x')
  await page.keyboard.press('k')
  await page.keyboard.press('x')
  const selected = page.locator('[data-testid="task-card"][data-selected="true"]')
  await expect(selected).toHaveCount(2)
  await expect(page.getByRole('button', { name: 'Write the notes, selected' })).toBeVisible()

  // p → priority for both, in one transaction; one Ctrl+Z restores both.
  await page.keyboard.press('p')
  await palette.run('urgent', 'Urgent')
  await palette.expectClosed()
  for (const title of ['Ship the release', 'Write the notes']) {
    await expect(board.card(title)).toContainText('urgent')
  }
  await board.undo()
  for (const title of ['Ship the release', 'Write the notes']) {
    await expect(board.card(title)).not.toContainText('urgent')
  }
  // The earlier edits are separate undo steps: the assignee is still there.
  await expect(board.card('Ship the release').getByTitle('Kim Keys')).toBeVisible()

  // Esc clears the selection; typing in a field never triggers a shortcut.
  await page.keyboard.press('Escape')
  await expect(selected).toHaveCount(0)
  await palette.open()
  await page.keyboard.type('xpacd')
  await expect(palette.input).toHaveValue('xpacd')
  await page.keyboard.press('Escape')
  await palette.expectClosed()
  await expect(selected).toHaveCount(0)

  // The palette jumps to a project's pages too, and remembers it as recent.
  await palette.open()
  await palette.run('keyboard board reports', 'Keyboard board: Reports')
  await page.getByTestId('reports-page').waitFor()
  await palette.open()
  await expect(palette.dialog.getByRole('group', { name: 'Recent' })).toContainText(
    'Keyboard board: Reports',
  )
})

test('keyboard only: palette → create → assign → move, then f filters to "mine" (a teammate’s task hidden) and / finds it and opens it', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: kim,
    teammate: bob,
  } = await sharedBoards('Keys', 'Kim', {
    name: 'Bob',
    role: 'member',
  })
  // Bob's own task, assigned to himself, from his keyboard too.
  await bob.goto(projectId)
  const bobPalette = new CommandPalette(bob.page)
  await bobPalette.open()
  await bobPalette.run('create task', 'Create task')
  await bobPalette.run('Water the plants', 'Create task “Water the plants”')
  await expect(bob.card('Water the plants')).toBeFocused()
  await bob.page.keyboard.press('a')
  await bobPalette.run('me', 'Bob (me)')
  await expect(bob.card('Water the plants').getByTitle('Bob')).toBeVisible()
  await bob.waitSaved()

  await kim.goto(projectId)
  const page = kim.page
  await expect(kim.card('Water the plants')).toBeVisible()
  const palette = new CommandPalette(page)
  await palette.open()
  await palette.run('create task', 'Create task')
  await palette.run('Ship the release', 'Create task “Ship the release”')
  await expect(kim.card('Ship the release')).toBeFocused()
  await page.keyboard.press('a')
  await palette.run('me', 'Kim (me)')
  await expect(kim.card('Ship the release').getByTitle('Kim')).toBeVisible()
  await palette.open()
  await palette.run('move to column', /Move .*Ship the release.* to column/)
  await palette.run('done', 'Done')
  await expect.poll(() => kim.cardTitlesIn('Done')).toEqual(['Ship the release'])
  await expect(kim.card('Ship the release')).toBeFocused()

  // f → the filter box; Tab → the Filter menu; Enter opens it on "Assignee", → its values,
  // Space ticks "Me" (the first), Escape twice closes the menu.
  await page.keyboard.press('f')
  const bar = new ViewsBar(page)
  await expect(page.getByTestId('filter-text')).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('filter-menu')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('filter-field-assignee')).toBeFocused()
  await page.keyboard.press('ArrowRight')
  await expect(page.getByRole('menuitemcheckbox', { name: 'Me', exact: true })).toBeFocused()
  await page.keyboard.press('Space')
  await page.keyboard.press('Escape')
  await page.keyboard.press('Escape')
  await expect(page.getByRole('menu')).toHaveCount(0)
  await expect(bar.chip('assignee')).toHaveText(/Assignee:\s*Me/)
  await expect.poll(() => kim.cardTitlesIn('Done')).toEqual(['Ship the release'])
  await expect(kim.card('Water the plants')).toHaveCount(0)

  // / → search; typing finds the task; Enter opens it.
  const search = new SearchDialog(page)
  await search.open()
  await page.keyboard.type('ship rel')
  await expect(search.results('device').first()).toContainText('Ship the release')
  await page.keyboard.press('Enter')
  await expect(new TaskPanel(page).title).toHaveValue('Ship the release')
  await expect(page).toHaveURL(new RegExp(`/projects/${projectId}/tasks/`))
})

test('the palette jumps to a view tab and to a saved view of the open project', async ({
  server,
  page,
}) => {
  await newBoard(page, server, 'Val Views', 'Views board')
  const palette = new CommandPalette(page)
  const bar = new ViewsBar(page)
  await bar.filterBy('assignee', 'Unassigned')
  await bar.saveView('Loose ends', false)
  await page.getByTestId('filter-clear').click()
  await expect(bar.chips).toHaveCount(0)

  await palette.open()
  await palette.run('list view', 'List view')
  await palette.expectClosed()
  await expect(page.getByTestId('list-view')).toBeVisible()
  await expect(bar.tab('list')).toHaveAttribute('aria-selected', 'true')

  await palette.open()
  await palette.run('loose ends', /Loose ends.*Personal view/)
  await palette.expectClosed()
  await expect(page.getByTestId('current-view-name')).toHaveText('Loose ends')
  await expect(bar.chip('assignee')).toHaveText(/Assignee:\s*Unassigned/)
  await expect(bar.tab('board')).toHaveAttribute('aria-selected', 'true')
})

test('? lists the keyboard shortcuts of the page on screen', async ({ server, page }) => {
  await newBoard(page, server, 'Lee', 'Shortcuts')
  await page.keyboard.press('Shift+?')
  const overlay = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(overlay).toBeVisible()
  for (const text of [
    'Open the command palette',
    'Create a task',
    'Search',
    'Filter the view',
    'Next task',
    'Select or unselect the focused task',
    'Extend the selection down',
    'Select a range of tasks',
    'Open the focused task',
    'Assign',
    'Add or remove a label',
    'Set priority',
    'Set due date',
    'Clear the selection',
  ]) {
    await expect(overlay.getByText(text, { exact: true }).or(overlay.getByText(text))).toBeVisible()
  }
  await page.keyboard.press('Escape')
  await expect(overlay).toHaveCount(0)
})
