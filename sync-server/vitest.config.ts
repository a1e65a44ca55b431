import { defineConfig } from 'vitest/config'

// Sync tests run real servers and child processes on a noisy 2-core machine: waits are
// condition-based, and the per-test limit only catches hangs.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Fails a test whose API answers break the contract of @taskflow/api (test servers check).
    setupFiles: ['src/test/contract-setup.ts'],
  },
})
