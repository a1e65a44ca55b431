import { defineConfig } from 'vitest/config'

/**
 * The storage and sync contract suites, and every suite of a feature that stores (search,
 * activity, reports, notifications, admin, history, away), run a second time against
 * PostgreSQL (issue 17: one contract suite, two backends). Their helpers (sync-test-utils
 * `startSyncServer`, `databaseIn`, `storedDoc`; test-api `createTestApi`) read
 * TASKFLOW_TEST_BACKEND; each test gets its own schema. Suites of pure functions run once.
 * update-log and migrate tests cover both backends themselves (describe.each), so they run
 * in the sqlite project only.
 */
const POSTGRES_SUITES = [
  'src/cluster/cluster.test.ts',
  'src/cluster/cluster-access.test.ts',
  'src/derivation/parts.test.ts',
  'src/sync/authorship.test.ts',
  'src/sync/awareness.test.ts',
  'src/sync/bad-input.test.ts',
  'src/sync/fresh-answer.test.ts',
  'src/sync/load-limits.test.ts',
  'src/sync/persistence.test.ts',
  'src/sync/sync.test.ts',
  'src/history/history.test.ts',
  'src/history/history-index-packs.test.ts',
  'src/search/search.test.ts',
  'src/activity/activity.test.ts',
  'src/reports/reports.test.ts',
  'src/reports/reports.routes.test.ts',
  'src/reports/projection.repository.test.ts',
  'src/notifications/notifications.test.ts',
  'src/notifications/notification-mail.test.ts',
  'src/notifications/notification-streams.test.ts',
  'src/notifications/unsubscribe.test.ts',
  'src/admin/admin.test.ts',
  'src/admin/admin-disable.test.ts',
  'src/away/away.test.ts',
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
