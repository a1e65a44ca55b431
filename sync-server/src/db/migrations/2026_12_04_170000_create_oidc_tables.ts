import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. Single sign-on (issue 19): which provider
// identity belongs to which account, and sign-ins started but not yet finished.
export async function up(db: Kysely<any>): Promise<void> {
  // An identity is the provider's (issuer, sub) pair: the e-mail may change at the provider,
  // the subject never does. One account may hold identities of several issuers.
  await db.schema
    .createTable('oidc_identities')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('oidc_identities_pk', ['issuer', 'subject'])
    .execute()
  await db.schema
    .createIndex('oidc_identities_user_id')
    .on('oidc_identities')
    .column('user_id')
    .execute()

  // One row per sign-in under way, keyed by the SHA-256 of its `state`; deleted when the
  // callback uses it, so a replayed callback finds nothing.
  await db.schema
    .createTable('oidc_logins')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('redirect', 'text')
    .addColumn('invitation_token', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('oidc_logins_expires_at')
    .on('oidc_logins')
    .column('expires_at')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oidc_logins').execute()
  await db.schema.dropTable('oidc_identities').execute()
}
