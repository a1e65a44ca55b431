import { createSharedProject, expect, test } from './fixtures'
import { BoardPage } from './page-models/board-page'
import { ViewsBar } from './page-models/views-bar'

/** Reloads until the saved-views menu lists `name` (the view arrives with the page's pull). */
async function expectViewAfterReload(page: BoardPage, name: string) {
  await expect(async () => {
    await page.page.reload()
    await page.page.getByTestId('saved-views-menu').click()
    try {
      await expect(page.page.getByRole('menuitem', { name, exact: true })).toBeVisible({
        timeout: 1_000,
      })
    } finally {
      await page.page.keyboard.press('Escape')
    }
  }).toPass({ timeout: 15_000 })
}

test('a personal view follows its user to another device, also when saved offline', async ({
  server,
  register,
  signedInPage,
}) => {
  const ada = await register('Ada')
  const projectId = await createSharedProject(server, ada, 'Personal', [])
  // Two browser contexts of the same account: separate storage, as two devices.
  const laptop = new BoardPage((await signedInPage(ada)).page)
  const phone = new BoardPage((await signedInPage(ada)).page)
  await laptop.goto(projectId)
  await laptop.addTasks('To do', ['Urgent fix', 'Later'])
  await laptop.waitSaved()

  const bar = new ViewsBar(laptop.page)
  await bar.tab('list').click()
  await bar.filterText('urgent')
  await expect.poll(() => bar.listTitles()).toEqual(['Urgent fix'])
  await bar.saveView('My urgent', false)

  await phone.goto(projectId)
  await expectViewAfterReload(phone, 'My urgent')
  const phoneBar = new ViewsBar(phone.page)
  await phoneBar.chooseView('My urgent')
  await phone.page.getByTestId('list-view').waitFor()
  await expect.poll(() => phoneBar.listTitles()).toEqual(['Urgent fix'])

  // Saved on the phone while offline: kept there, pushed once it reconnects.
  await phone.page.context().setOffline(true)
  await phoneBar.filterText('later')
  await expect.poll(() => phoneBar.listTitles()).toEqual(['Later'])
  await phoneBar.saveView('Offline later', false)
  await laptop.page.reload()
  await laptop.page.getByTestId('saved-views-menu').click()
  await expect(laptop.page.getByRole('menuitem', { name: 'My urgent', exact: true })).toBeVisible()
  await expect(
    laptop.page.getByRole('menuitem', { name: 'Offline later', exact: true }),
  ).toHaveCount(0)
  await laptop.page.keyboard.press('Escape')

  await phone.page.context().setOffline(false)
  await expectViewAfterReload(laptop, 'Offline later')
  const laptopBar = new ViewsBar(laptop.page)
  await laptopBar.chooseView('Offline later')
  await expect(laptop.page.getByTestId('filter-text')).toHaveValue('later')
})
