import { defineConfig } from 'vitest/config'

/**
 * The storage and sync contract suites, run a second time against PostgreSQL (issue 17:
 * one contract suite, two backends). Their helpers (sync-test-utils `startSyncServer`,
 * `databaseIn`, `storedDoc`) read TASKFLOW_TEST_BACKEND; each test gets its own schema.
 * update-log and migrate tests cover both backends themselves (describe.each), so they run
 * in the sqlite project only.
 */
const POSTGRES_SUITES = [
  'src/cluster/cluster.test.ts',
  'src/cluster/cluster-access.test.ts',
  'src/sync/authorship.test.ts',
  'src/sync/awareness.test.ts',
  'src/sync/bad-input.test.ts',
  'src/sync/fresh-answer.test.ts',
  'src/sync/load-limits.test.ts',
  'src/sync/persistence.test.ts',
  'src/sync/sync.test.ts',
  'src/history/history.test.ts',
  'src/search/search.test.ts',
]

// Sync tests run real servers and child processes on a noisy 2-core machine: waits are
// condition-based, and the per-test limit only catches hangs.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Fails a test whose API answers break the contract of @taskflow/api (test servers check).
    setupFiles: ['src/test/contract-setup.ts'],
    projects: [
      { extends: true, test: { name: 'sqlite' } },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: POSTGRES_SUITES,
          env: { TASKFLOW_TEST_BACKEND: 'postgres' },
        },
      },
    ],
  },
})
