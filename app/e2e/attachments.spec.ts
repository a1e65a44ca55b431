import type { Locator } from '@playwright/test'
import { SERVER_UNREACHABLE_AFTER_MS } from '../src/sync/server-reach'
import { createSharedProject, expect, test } from './fixtures'

/** An 8×8 red PNG: a real image, so a thumbnail that shows it has a natural width. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGM4YWODFTEMLQkAZZlQAVIPr1MAAAAASUVORK5CYII=',
  'base64',
)
const UNREACHABLE_TIMEOUT = SERVER_UNREACHABLE_AFTER_MS + 10_000

/** The image really decoded (not a broken-image icon). */
async function decodedWidth(img: Locator): Promise<number> {
  return img.evaluate((el) => (el as HTMLImageElement).naturalWidth)
}

test('an image attached offline is shown at once, survives a reload, and appears for the teammate after reconnect', async ({
  sharedBoards,
}) => {
  const {
    projectId,
    owner: ada,
    teammate: bob,
  } = await sharedBoards('Site photos', 'Ada', {
    name: 'Bob',
    role: 'member',
  })
  await ada.goto(projectId)
  await ada.addTasks('To do', ['Survey site'])
  await ada.waitSaved()
  // The service worker must control the page before the network goes away.
  await ada.page.waitForFunction(() => navigator.serviceWorker.controller !== null)
  await bob.goto(projectId)
  await bob.openTask('Survey site')

  await ada.openTask('Survey site')
  await ada.page.context().setOffline(true)
  const adaPanel = ada.page.getByTestId('task-panel')
  await adaPanel
    .getByRole('region', { name: 'Attachments' })
    .getByTestId('attach-input')
    .setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: PNG })
  // Shown at once from this device's copy, waiting for the server.
  const adaThumb = adaPanel.getByTestId('attachment-thumbnail')
  await expect(adaThumb).toBeVisible()
  await expect.poll(() => decodedWidth(adaThumb)).toBe(8)
  await expect(adaPanel.getByTestId('attachment-status')).toHaveText('Waiting to upload')

  // Still offline, the page reloads: the file and its reference are still here.
  await ada.page.reload()
  await adaPanel.waitFor()
  await expect.poll(() => decodedWidth(adaPanel.getByTestId('attachment-thumbnail'))).toBe(8)
  await expect(ada.syncIndicator).toHaveText(/unsynced/, { timeout: UNREACHABLE_TIMEOUT })

  // Back online, but the upload itself keeps failing for a while: the reference syncs,
  // and Bob is told where the file is.
  let blockUploads = true
  await ada.page
    .context()
    .route(/\/api\/v1\/projects\/[^/]+\/attachments(\?|\/|$)/, (route) =>
      blockUploads ? route.abort('connectionreset') : route.fallback(),
    )
  await ada.page.context().setOffline(false)
  const bobPanel = bob.page.getByTestId('task-panel')
  await expect(bobPanel.getByTestId('attachment')).toHaveAttribute('data-state', 'uploading')
  await expect(bobPanel.getByTestId('attachment-status')).toHaveText('Uploading from Ada’s device')
  await expect(bobPanel.getByTestId('attachment-thumbnail')).toHaveCount(0)

  // What Bob's browser fetches of the file: the server's thumbnail, and the full image only
  // when he opens it.
  const bobFetches: string[] = []
  bob.page.context().on('request', (req) => {
    const m = /\/attachments\/[0-9a-f]{64}(\/thumbnail)?$/.exec(new URL(req.url()).pathname)
    if (m) bobFetches.push(m[1] ? 'thumbnail' : 'file')
  })
  blockUploads = false
  // The uploader retries by itself; then Bob downloads and shows the thumbnail.
  const bobThumb = bobPanel.getByTestId('attachment-thumbnail')
  await expect(bobThumb).toBeVisible({ timeout: 30_000 })
  await expect.poll(() => decodedWidth(bobThumb)).toBe(8)
  await expect(bobPanel.getByTestId('attachment')).toHaveAttribute('data-state', 'stored')
  await expect(adaPanel.getByTestId('attachment-status')).toHaveCount(0)
  expect(bobFetches).toContain('thumbnail')
  expect(bobFetches).not.toContain('file')

  // The lightbox opens the full image.
  await bobPanel.getByRole('button', { name: 'Open site.png' }).click()
  const full = bob.page.getByRole('dialog', { name: 'site.png' }).getByTestId('attachment-full')
  await expect(full).toBeVisible()
  await expect.poll(() => decodedWidth(full)).toBe(8)
  expect(bobFetches).toContain('file')
})

test('uploaded .html, .svg and .js files cannot run script on our origin', async ({
  server,
  register,
  signedInPage,
}) => {
  const ada = await register('Ada')
  const projectId = await createSharedProject(server, ada, 'Inert files', [])
  const fileUrl = (sha: string) => `/api/v1/projects/${projectId}/attachments/${sha}`
  const upload = async (name: string, type: string, body: string) => {
    const res = await fetch(
      `${server.url}/api/v1/projects/${projectId}/attachments?name=${encodeURIComponent(name)}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${ada.token}`, 'content-type': type },
        body,
      },
    )
    expect(res.status).toBe(201)
    return ((await res.json()) as { sha256: string }).sha256
  }
  // A script from our own origin would pass the app's CSP (script-src 'self'): the file
  // must not be served as one.
  const js = await upload('evil.js', 'text/javascript', 'window.pwned = true')
  const loader = `<script src="${fileUrl(js)}"></script><script>window.pwned = true</script>`
  const html = await upload('page.html', 'text/html', `<!doctype html>${loader}`)
  const svg = await upload(
    'logo.svg',
    'image/svg+xml',
    `<svg xmlns="http://www.w3.org/2000/svg"><script href="${fileUrl(js)}"/></svg>`,
  )
  const { context, page } = await signedInPage(ada)
  await page.goto('/')
  await page.getByRole('heading', { name: 'Projects' }).first().waitFor()
  // Requests of this browser now carry the Bearer header, as the app's downloads do.
  await context.setExtraHTTPHeaders({ authorization: `Bearer ${ada.token}` })

  const loaded = await page.evaluate(
    (src) =>
      new Promise<string>((resolve) => {
        const s = document.createElement('script')
        s.src = src
        s.onload = () => resolve('ran')
        s.onerror = () => resolve('refused')
        document.head.append(s)
      }),
    fileUrl(js),
  )
  expect(loaded).toBe('refused')
  expect(await page.evaluate(() => (window as { pwned?: boolean }).pwned)).toBeUndefined()

  // Opened directly, the documents are downloads: nothing is rendered on our origin.
  for (const [sha, name] of [
    [html, 'page.html'],
    [svg, 'logo.svg'],
  ] as const) {
    const tab = await context.newPage()
    const download = tab.waitForEvent('download')
    await tab.goto(fileUrl(sha)).catch(() => {})
    expect((await download).suggestedFilename()).toBe(name)
    expect(await tab.evaluate(() => (window as { pwned?: boolean }).pwned)).toBeUndefined()
    await tab.close()
  }
})
