import { expect, PASSWORD, test, uniqueEmail } from './fixtures'
import { AuthPage, verifyPath } from './page-models/auth-page'

test('a new account confirms its address by the mailed link before it can log in; the link works once', async ({
  server,
  register,
  page,
}) => {
  // Not the instance's first account (that one is signed in at once).
  await register('Admin')
  const auth = new AuthPage(page, server)
  const email = uniqueEmail('vera')
  await auth.submitSignUp({ name: 'Vera', email, password: PASSWORD })
  await expect(auth.heading).toHaveText('Check your e-mail')
  const firstLink = verifyPath(await server.mailTo(email, '/verify-email/'))

  // Logging in first: the right password hears "verify first" and may ask for a new link.
  await auth.logIn(email, PASSWORD)
  await expect(page.getByRole('alert')).toContainText('Verify your e-mail address first')
  await page.getByRole('button', { name: 'Send a new link' }).click()
  await expect(page.getByRole('status')).toContainText('a new link is on its way')
  await expect
    .poll(async () => verifyPath(await server.mailTo(email, '/verify-email/')))
    .not.toBe(firstLink)
  const secondLink = verifyPath(server.lastMailTo(email))

  await page.goto(secondLink)
  await page.waitForURL('**/projects')

  // Used links explain themselves and offer a new one.
  await page.evaluate(() => localStorage.clear())
  await page.goto(secondLink)
  await expect(auth.heading).toHaveText('This link can no longer be used')
  await expect(page.getByRole('button', { name: 'Send a new link' })).toBeVisible()
})

test('signing up with an address that has an account answers the same "check your e-mail"', async ({
  server,
  register,
  page,
}) => {
  const existing = await register('Kay')
  const auth = new AuthPage(page, server)
  await auth.submitSignUp({ name: 'Not Kay', email: existing.user.email, password: PASSWORD })
  await expect(auth.heading).toHaveText('Check your e-mail')
  expect(await server.mailTo(existing.user.email, 'tried to create')).toContain('/forgot-password')
})
