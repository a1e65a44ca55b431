import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. Attachments (issue 14): files are stored once
// per SHA-256 in TASKFLOW_FILES (`attachment_blobs`); `project_attachments` records which
// project may serve which file (a file uploaded to project A is not readable through B).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('attachment_blobs')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'integer', (c) => c.notNull())
    // Sniffed from the bytes (png/jpeg/gif/webp) or null: never the client's word.
    .addColumn('image_type', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('project_attachments')
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('sha256', 'text', (c) => c.notNull().references('attachment_blobs.sha256'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by', 'text')
    .addColumn('uploaded_at', 'integer', (c) => c.notNull())
    // Since when no board document of the project refers to the file (garbage collection);
    // null while one does. An upload starts unreferenced: its reference may come later.
    .addColumn('unreferenced_since', 'integer')
    .addPrimaryKeyConstraint('project_attachments_pk', ['project_id', 'sha256'])
    .execute()
  await db.schema
    .createIndex('project_attachments_sha')
    .on('project_attachments')
    .column('sha256')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('project_attachments').execute()
  await db.schema.dropTable('attachment_blobs').execute()
}
