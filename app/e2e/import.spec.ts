import { expect, PASSWORD, test, uniqueEmail } from './fixtures'
import { AuthPage } from './page-models/auth-page'
import { BoardPage } from './page-models/board-page'
import { ImportPage } from './page-models/import-page'
import { ProjectsPage } from './page-models/projects-page'

const CSV =
  '\uFEFFTitle;Status;Due;Priority\r\n' +
  'Write spec;Backlog;04/12/2026;High\r\n' +
  'Build it;Doing;31/12/2026;urgent\r\n' +
  'Ship it;Done;someday;\r\n'

test('a CSV file is previewed, mapped and imported as a new project that opens as a board', async ({
  server,
  page,
}) => {
  await new AuthPage(page, server).signUp({
    name: 'Ada',
    email: uniqueEmail('ada-import'),
    password: PASSWORD,
  })
  await new ProjectsPage(page).goto()
  const importPage = new ImportPage(page)
  await importPage.openFromProjects()
  await importPage.chooseFile('CSV file', 'Roadmap.csv', CSV)

  // The server's preview: delimiter and rows detected, columns mapped from their headers.
  await expect(importPage.detected).toHaveText('3 rows, separated by “;”.')
  await expect(importPage.mappingOf('Title')).toHaveValue('Title')
  await expect(importPage.mappingOf('Column (status)')).toHaveValue('Status')
  await expect(importPage.mappingOf('Due date')).toHaveValue('Due')
  await expect(page.getByLabel('Project name')).toHaveValue('Roadmap')
  await importPage.setDateFormat('DD/MM/YYYY')
  await importPage.importIt()

  await expect(importPage.result).toContainText('“Roadmap” was created.')
  await expect(importPage.result.getByRole('list', { name: 'Imported' })).toContainText('3 tasks')
  await expect(importPage.result.getByRole('list', { name: 'Skipped' })).toContainText(
    'row 4: dueDate',
  )
  await importPage.openProject()

  const board = new BoardPage(page)
  await board.board.waitFor()
  await expect.poll(() => board.cardTitlesIn('Backlog')).toEqual(['Write spec'])
  await expect.poll(() => board.cardTitlesIn('Doing')).toEqual(['Build it'])
  await expect.poll(() => board.cardTitlesIn('Done')).toEqual(['Ship it'])
})
