import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely'
import { dialectOf } from './database.js'
import * as m20261126_120000 from './migrations/2026_11_26_120000_create_sync_tables.js'
import * as m20261126_130000 from './migrations/2026_11_26_130000_create_accounts.js'
import * as m20261126_140000 from './migrations/2026_11_26_140000_create_report_tables.js'
import * as m20261126_150000 from './migrations/2026_11_26_150000_create_client_bindings.js'
import * as m20261127_120000 from './migrations/2026_11_27_120000_create_activity_and_notifications.js'
import * as m20261204_140500 from './migrations/2026_12_04_140500_add_preferences_version_and_mail_headers.js'
import * as m20261204_150000 from './migrations/2026_12_04_150000_add_invitation_accepted_at.js'
import * as m20261204_160000 from './migrations/2026_12_04_160000_add_instance_administration.js'
import * as m20261204_170000 from './migrations/2026_12_04_170000_create_oidc_tables.js'
import * as m20261204_171000 from './migrations/2026_12_04_171000_add_email_verification.js'
import * as m20261204_210000 from './migrations/2026_12_04_210000_create_api_tokens.js'
import * as m20261204_211000 from './migrations/2026_12_04_211000_create_api_clients.js'
import * as m20261204_211001 from './migrations/2026_12_04_211001_create_idempotency_keys.js'
import * as m20261204_212000 from './migrations/2026_12_04_212000_create_webhooks.js'
import * as m20261204_215000 from './migrations/2026_12_04_215000_create_search_index.js'
import * as m20261204_216000 from './migrations/2026_12_04_216000_create_attachments.js'
import * as m20261204_218000 from './migrations/2026_12_04_218000_create_personal_views.js'
import * as m20261204_220000 from './migrations/2026_12_04_220000_add_report_task_parent.js'
import * as m20261204_222000 from './migrations/2026_12_04_222000_create_task_relations.js'
import * as m20261204_224000 from './migrations/2026_12_04_224000_create_report_fields.js'
import * as m20261204_230000 from './migrations/2026_12_04_230000_create_doc_checkpoints.js'
import * as m20261204_232000 from './migrations/2026_12_04_232000_create_board_visits.js'
import * as m20261204_238000 from './migrations/2026_12_04_238000_add_checkpoint_kind.js'
import * as m20261205_020000 from './migrations/2026_12_05_020000_create_derivation_cursors.js'
import * as m20261205_030000 from './migrations/2026_12_05_030000_create_doc_leases.js'
import * as m20261205_040000 from './migrations/2026_12_05_040000_create_history_index.js'
import * as m20261205_070000 from './migrations/2026_12_05_070000_add_activity_away_index.js'
import * as m20261206_010000 from './migrations/2026_12_06_010000_create_derivation_leases.js'
import * as m20261206_020000 from './migrations/2026_12_06_020000_add_postgres_search.js'
import * as m20261206_040000 from './migrations/2026_12_06_040000_add_checkpoint_running_sizes.js'
import * as m20261206_090000 from './migrations/2026_12_06_090000_create_history_board.js'
import * as m20261206_110000 from './migrations/2026_12_06_110000_add_derivation_cursor_parts.js'
import * as m20261207_120000 from './migrations/2026_12_07_120000_create_history_board_packs.js'
import * as m20261208_120000 from './migrations/2026_12_08_120000_create_doc_state_parts.js'
import * as m20261209_120000 from './migrations/2026_12_09_120000_create_history_index_packs.js'

/** Migrations in order. Each file is frozen in time: never edit one that has shipped. */
const MIGRATIONS: Record<string, Migration> = {
  '2026_11_26_120000_create_sync_tables': m20261126_120000,
  '2026_11_26_130000_create_accounts': m20261126_130000,
  '2026_11_26_140000_create_report_tables': m20261126_140000,
  '2026_11_26_150000_create_client_bindings': m20261126_150000,
  '2026_11_27_120000_create_activity_and_notifications': m20261127_120000,
  '2026_12_04_140500_add_preferences_version_and_mail_headers': m20261204_140500,
  '2026_12_04_150000_add_invitation_accepted_at': m20261204_150000,
  '2026_12_04_160000_add_instance_administration': m20261204_160000,
  '2026_12_04_170000_create_oidc_tables': m20261204_170000,
  '2026_12_04_171000_add_email_verification': m20261204_171000,
  '2026_12_04_210000_create_api_tokens': m20261204_210000,
  '2026_12_04_211000_create_api_clients': m20261204_211000,
  '2026_12_04_211001_create_idempotency_keys': m20261204_211001,
  '2026_12_04_212000_create_webhooks': m20261204_212000,
  '2026_12_04_215000_create_search_index': m20261204_215000,
  '2026_12_04_216000_create_attachments': m20261204_216000,
  '2026_12_04_218000_create_personal_views': m20261204_218000,
  '2026_12_04_220000_add_report_task_parent': m20261204_220000,
  '2026_12_04_222000_create_task_relations': m20261204_222000,
  '2026_12_04_224000_create_report_fields': m20261204_224000,
  '2026_12_04_230000_create_doc_checkpoints': m20261204_230000,
  '2026_12_04_232000_create_board_visits': m20261204_232000,
  '2026_12_04_238000_add_checkpoint_kind': m20261204_238000,
  '2026_12_05_020000_create_derivation_cursors': m20261205_020000,
  '2026_12_05_030000_create_doc_leases': m20261205_030000,
  '2026_12_05_040000_create_history_index': m20261205_040000,
  '2026_12_05_070000_add_activity_away_index': m20261205_070000,
  '2026_12_06_010000_create_derivation_leases': m20261206_010000,
  '2026_12_06_020000_add_postgres_search': m20261206_020000,
  '2026_12_06_040000_add_checkpoint_running_sizes': m20261206_040000,
  '2026_12_06_090000_create_history_board': m20261206_090000,
  '2026_12_06_110000_add_derivation_cursor_parts': m20261206_110000,
  '2026_12_07_120000_create_history_board_packs': m20261207_120000,
  '2026_12_08_120000_create_doc_state_parts': m20261208_120000,
  '2026_12_09_120000_create_history_index_packs': m20261209_120000,
}

/** Names of every migration the server knows, in order (a backup's applied list must be a prefix). */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS)

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS }

/**
 * The migrator, with its bookkeeping tables in the database's current schema on Postgres:
 * Kysely looks for them across every schema otherwise, and would take another schema's
 * (another test's, another deployment's on a shared server) for its own.
 */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
async function migratorFor(db: Kysely<any>): Promise<Migrator> {
  if (dialectOf(db) !== 'postgres') return new Migrator({ db, provider })
  const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db)
  return new Migrator({ db, provider, migrationTableSchema: rows[0]!.schema })
}

/** Brings the database exactly to migration `name` (tests of one migration's data change). */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrateTo(db: Kysely<any>, name: string): Promise<void> {
  const { error } = await (await migratorFor(db)).migrateTo(name)
  if (error) throw new Error(`migrating to ${name} failed: ${String(error)}`)
}

/** Brings the database to the latest schema; throws with the failing migration's name. */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  let { error, results } = await (await migratorFor(db)).migrateToLatest()
  // Kysely's migrator finds its table through the introspector, which reads the catalog of
  // every schema of the database; on a Postgres server shared with other schemas being
  // migrated or dropped at that moment (parallel tests, other deployments) that read can fail
  // with "schema/column ... does not exist" about an object not ours. Postgres runs the
  // migrations in one transaction, so nothing was applied: try again.
  for (let i = 0; i < 3 && error && isForeignCatalogRace(db, error); i++) {
    ;({ error, results } = await (await migratorFor(db)).migrateToLatest())
  }
  const failed = results?.find((r) => r.status === 'Error')
  if (error) {
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(error)}`)
  }
}

/** Undefined schema, table or column (SQLSTATE 3F000, 42P01, 42703) on Postgres. */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
function isForeignCatalogRace(db: Kysely<any>, error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  return dialectOf(db) === 'postgres' && (code === '3F000' || code === '42P01' || code === '42703')
}
