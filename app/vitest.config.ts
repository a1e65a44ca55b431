import { defineConfig } from 'vitest/config'

// Unit tests only; browser tests run under Playwright (e2e/). The per-test limit only
// catches hangs on a busy 2-core machine; it is not a speed assertion.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], environment: 'node', testTimeout: 60_000 },
})
