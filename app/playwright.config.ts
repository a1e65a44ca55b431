import { defineConfig } from '@playwright/test'

/** Debian's Chromium, not a Playwright download (none can be fetched here). */
export const CHROMIUM_LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
}

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/artifacts',
  // Each worker runs its own server and database (worker fixture), so specs never share
  // state. Two on two cores: 59 tests took 8.3 min in CI against 9.0 min with one (browser
  // tests are mostly CPU, so the gain is small); a spec that goes offline waits for the
  // service worker first (fixtures.ts untilAvailableOffline).
  workers: 2,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  retries: 0,
  reporter: [['list']],
  use: {
    launchOptions: CHROMIUM_LAUNCH,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    serviceWorkers: 'allow',
  },
})
