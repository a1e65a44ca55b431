import { expect, PASSWORD, publishScreenshots, saveScreenshot, test, uniqueEmail } from './fixtures'
import { linkIn } from './page-models/invitation-page'
import { PasswordPages } from './page-models/password-pages'
import { ProfilePage } from './page-models/profile-page'

const NEW_PASSWORD = 'violet lantern orbit 42'

test('forgot password: the mailed link sets a new password that signs in', async ({
  server,
  register,
  page,
}) => {
  const account = await register('Paula')
  const pages = new PasswordPages(page)
  await pages.requestReset(account.user.email)
  await expect(pages.heading).toHaveText('Check your mail')

  const link = linkIn(await server.mailTo(account.user.email, '/reset-password'), '/reset-password')
  await pages.openResetLink(link)
  await expect(pages.heading).toHaveText('Choose a new password')
  await saveScreenshot(page, 'reset-password')
  await pages.setNewPassword('password123')
  await expect(pages.error).toBeVisible() // weak_password, in the server's words
  await expect(pages.heading).toHaveText('Choose a new password')
  await pages.setNewPassword(NEW_PASSWORD)
  await expect(pages.heading).toHaveText('Password changed')

  await page.getByRole('link', { name: 'Sign in' }).click()
  await pages.logIn(account.user.email, NEW_PASSWORD)
  await page.waitForURL('**/projects')

  // The link works once.
  await page.evaluate(() => localStorage.clear())
  await pages.openResetLink(link)
  await pages.setNewPassword('another violet lantern 7')
  await expect(pages.heading).toHaveText('This reset link can no longer be used')
  publishScreenshots('reset-password')
})

test('asking for too many reset links says when to try again', async ({ page }) => {
  const pages = new PasswordPages(page)
  const email = uniqueEmail('quinn')
  for (let i = 0; i < 3; i++) {
    await pages.requestReset(email)
    await expect(pages.heading).toHaveText('Check your mail')
  }
  await pages.requestReset(email)
  await expect(pages.error).toContainText(/try again in \d+ (hour|minute|second)s?/)
})

test('a signed-in user changes their password on the profile page', async ({
  server,
  register,
  signedInPage,
}) => {
  const account = await register('Rosa')
  const { page } = await signedInPage(account)
  const profile = new ProfilePage(page)
  await profile.goto()
  await profile.changePassword('not my password', NEW_PASSWORD)
  await expect(profile.passwordForm.getByRole('alert')).toHaveText('Current password is incorrect')
  await profile.changePassword(PASSWORD, NEW_PASSWORD)
  await expect(profile.passwordForm.getByRole('status')).toHaveText(
    'Password changed. Your other devices were signed out.',
  )
  await saveScreenshot(page, 'profile')
  const login = (password: string) =>
    fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account.user.email, password }),
    })
  expect((await login(NEW_PASSWORD)).status).toBe(200)
  expect((await login(PASSWORD)).status).toBe(401)
  publishScreenshots('profile')
})
