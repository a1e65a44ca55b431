import { defineConfig } from 'vitest/config'

// Unit tests only; browser tests run under Playwright (e2e/).
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
})
