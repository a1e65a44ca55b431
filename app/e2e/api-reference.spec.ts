import { expect, test } from './fixtures'

/**
 * The interactive API reference (`/api/docs`, Scalar over `/api/v1/openapi.json`) works
 * under the server's Content-Security-Policy with nothing fetched from another origin: its
 * bundle is served by the server itself, and no CDN is reachable here anyway.
 */
test('the API reference lists the routes and sends a request from the page, all same-origin under the CSP', async ({
  page,
  server,
}) => {
  const origin = new URL(server.url).origin
  const elsewhere: string[] = []
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) elsewhere.push(r.url())
  })
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  // CSP refusals never throw: collect them from the page's own violation events.
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] }
    w.cspViolations = []
    document.addEventListener('securitypolicyviolation', (e) =>
      w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    )
  })

  await page.goto(`${server.url}/api/docs`)
  await expect(page.getByText('TaskFlow API').first()).toBeVisible()
  await page.getByText('Single sign-on', { exact: true }).first().click()
  await page.getByText('What the login page offers').first().click()
  // This operation's own button: Scalar renders its neighbours too, in varying numbers.
  await page.getByRole('button', { name: 'Test Request (get /api/v1/auth/config)' }).click()
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/config'))
  await page.getByRole('button', { name: /^Send/i }).first().click()
  expect((await answer).status()).toBe(200)
  await expect(page.getByText('200 OK').first()).toBeVisible()

  const violations = await page.evaluate(
    () => (window as unknown as { cspViolations: string[] }).cspViolations,
  )
  // The one refusal is zod's feature probe in Scalar's bundle (`try { new Function('') }`),
  // which then validates without generated code: the page needs no 'unsafe-eval'.
  expect(violations.filter((v) => v !== 'script-src eval')).toEqual([])
  expect(errors).toEqual([])
  expect(elsewhere).toEqual([])
})
