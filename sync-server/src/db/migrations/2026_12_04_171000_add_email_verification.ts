import { type Kysely, sql } from 'kysely'

// Frozen in time: imports nothing from src/. Verified accounts (issue 19): an account signs
// in only once its address is proven by an e-mailed link. Accounts that existed before are
// trusted as they were: all of them count as verified from their creation.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('email_verified_at', 'integer').execute()
  await sql`UPDATE users SET email_verified_at = created_at`.execute(db)
  await db.schema
    .createTable('email_verifications')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // An invitation whose link was used to sign up with another address: joined on verification.
    .addColumn('invitation_id', 'text', (c) => c.references('invitations.id').onDelete('set null'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addColumn('used_at', 'integer')
    .execute()
  await db.schema
    .createIndex('email_verifications_user_id')
    .on('email_verifications')
    .column('user_id')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_verifications').execute()
  await db.schema.alterTable('users').dropColumn('email_verified_at').execute()
}
