import type { ColumnType, Generated } from 'kysely'

/** Row types of every table, as Kysely sees them. One interface per table. */
export interface DocUpdatesTable {
  doc_name: string
  seq: number
  update: Uint8Array
  user_id: string | null
  created_at: number
}

export interface DocSnapshotsTable {
  doc_name: string
  upto_seq: number
  /** The state; empty when it is stored in parts (`parts_id`). */
  state: Uint8Array
  created_at: number
  /** The state's parts in doc_state_parts (sync/state-parts.ts), or null: inline in `state`. */
  parts_id: ColumnType<string | null, string | null | undefined, string | null>
  /** How many parts (null with parts_id null). */
  parts: ColumnType<number | null, number | null | undefined, number | null>
}

/**
 * A large snapshot or checkpoint state in parts of at most 256 KiB, each written in its own
 * short transaction (sync/state-parts.ts); the row that points at `blob_id` makes them count.
 */
export interface DocStatePartsTable {
  blob_id: string
  part: number
  doc_name: string
  data: Uint8Array
}

/**
 * Board history (issue 18): a document's state after update `upto_seq` (stored at
 * `upto_at`), kept by the checkpoint policy for TASKFLOW_HISTORY_DAYS (history/). `full`:
 * the whole state; `diff`: only what changed since the previous checkpoint of the document
 * (load the nearest full one at or before it and every diff after it, up to this one).
 */
export interface DocCheckpointsTable {
  doc_name: string
  upto_seq: number
  upto_at: number
  state: Uint8Array
  created_at: number
  kind: ColumnType<'full' | 'diff', 'full' | 'diff' | undefined, 'full' | 'diff'>
  /** State vector of the state shown (null on rows written before diffs existed). */
  state_vector: Uint8Array | null
  /**
   * Running sizes for the checkpoint policy (null on rows from before they were kept): on a
   * diff, the bytes of the log after the newest full checkpoint up to this one, and of the
   * diffs after that full one up to and including this one; 0 on a full one.
   */
  log_bytes_since_full: ColumnType<number | null, number | null | undefined, number | null>
  chain_bytes: ColumnType<number | null, number | null | undefined, number | null>
  /** As on doc_snapshots: the state's parts, or null when `state` holds it. */
  parts_id: ColumnType<string | null, string | null | undefined, string | null>
  parts: ColumnType<number | null, number | null | undefined, number | null>
}

/** How far a document's history index (history/history-index.ts) got, from which base. */
export interface HistoryIndexTable {
  doc_name: string
  base_kind: 'checkpoint' | 'snapshot' | 'empty'
  base_seq: number
  last_seq: number
}

/** One field-level version of a task (value: JSON), in id order per task. */
export interface HistoryVersionsTable {
  id: Generated<number>
  doc_name: string
  task_id: string
  seq: number
  at: number
  user_id: string | null
  field: string
  value: string
  initial: number
}

/** The board read as of a log row ('full', JSON) or what that row changed in it ('patch', JSON). */
export interface HistoryBoardTable {
  doc_name: string
  seq: number
  kind: 'full' | 'patch'
  body: string
}

/** Stored board reads, compressed (brotli JSON): a whole board, or the patches first_seq..seq. */
export interface HistoryBoardPacksTable {
  doc_name: string
  kind: 'full' | 'patches'
  seq: number
  first_seq: number
  body: Uint8Array
}

/**
 * A compressed piece of a document's task-history index (brotli JSON, ids interned):
 * versions in derivation order, or steps in from_seq order; pieces come before plain rows.
 */
export interface HistoryIndexPacksTable {
  id: Generated<number>
  doc_name: string
  kind: 'versions' | 'steps'
  first_seq: number
  last_seq: number
  min_at: number
  max_at: number
  body: Uint8Array
}

/** Which versions pieces hold a task's versions (32-bit hashes of the document and task ids). */
export interface HistoryIndexPackTasksTable {
  doc_key: number
  task_key: number
  pack_id: number
}

/** One change step (tasks, column_ids: JSON). */
export interface HistoryStepsTable {
  doc_name: string
  from_seq: number
  to_seq: number
  started_at: number
  at: number
  user_id: string | null
  tasks: string
  column_ids: string
  board: number
}

/** Yjs client ID → the user who first sent structs with it, per document (authorship). */
export interface ClientBindingsTable {
  doc_name: string
  client_id: number
  user_id: string
  created_at: number
}

/** Which node compacts a document now (cluster mode on SQLite). */
export interface DocLeasesTable {
  doc_name: string
  holder: string
  expires_at: number
}

/** Which node runs a document's derivation consumers (derivation/database-lease.ts). */
export interface DerivationLeasesTable {
  doc_name: string
  holder: string
  expires_at: number
}

/** The Yjs client ID a user writes under through the task API, per document. */
export interface ApiClientsTable {
  doc_name: string
  user_id: string
  client_id: number
  created_at: number
}

/** The first answer to a POST with an `Idempotency-Key`, per user and key (24 h). */
export interface IdempotencyKeysTable {
  user_id: string
  key: string
  /** sha256 of method, path and body: a retry must send the same request. */
  fingerprint: string
  /** Null while the first request runs. */
  status: number | null
  body: string | null
  created_at: number
}

export interface UsersTable {
  id: string
  /** Lower-cased; unique (collate nocase). */
  email: string
  /** argon2id PHC string. */
  password_hash: string
  name: string
  avatar_color: string
  created_at: number
  updated_at: number
  /** 1 for the instance admin(s): the first account, and any promoted later. */
  is_admin: ColumnType<number, number | undefined, number>
  /** Set while an instance admin has disabled the account: it cannot sign in. */
  disabled_at: ColumnType<number | null, number | null | undefined, number | null>
  /** When the address was proven (e-mailed link, invitation link, reset link); null: cannot sign in. */
  email_verified_at: ColumnType<number | null, number | null | undefined, number | null>
}

/** Instance-wide settings an admin changes at run time (e.g. `signup`), one row each. */
export interface InstanceSettingsTable {
  name: string
  value: string
}

/** A single sign-on identity (the provider's issuer + subject) linked to an account. */
export interface OidcIdentitiesTable {
  issuer: string
  subject: string
  user_id: string
  created_at: number
}

/** A single sign-on started at `/auth/oidc/start` and not yet finished (single use). */
export interface OidcLoginsTable {
  /** Hex SHA-256 of the `state` sent to the provider (and kept in the browser's cookie). */
  state_hash: string
  nonce: string
  /** PKCE code verifier; only its S256 challenge went to the provider. */
  code_verifier: string
  /** Same-app path to open after signing in. */
  redirect: string | null
  /** Project invitation to accept with this sign-in. */
  invitation_token: string | null
  created_at: number
  expires_at: number
}

export interface SessionsTable {
  id: string
  user_id: string
  /** Hex SHA-256 of the bearer token; the token itself is never stored. */
  token_hash: string
  created_at: number
  expires_at: number
}

export interface PasswordResetsTable {
  token_hash: string
  user_id: string
  created_at: number
  expires_at: number
  used_at: number | null
}

/** Single-use e-mailed links that prove an account's address (`/verify-email/<token>`). */
export interface EmailVerificationsTable {
  token_hash: string
  user_id: string
  /** An invitation whose link was used at sign-up with another address: joined on verification. */
  invitation_id: string | null
  created_at: number
  expires_at: number
  used_at: number | null
}

/** Personal API tokens (api-tokens/): only the secret's SHA-256 is kept. */
export interface ApiTokensTable {
  id: string
  user_id: string
  token_hash: string
  name: string
  scope: 'read' | 'write'
  /** JSON array of project ids the token is limited to; null: every project of the owner. */
  project_ids: string | null
  created_at: number
  /** Null: valid until revoked. */
  expires_at: number | null
  /** Recorded at most once a minute per token. */
  last_used_at: number | null
}

export interface ProjectsTable {
  /** Also the name of the project's board document. */
  id: string
  name: string
  description: string
  created_by: string | null
  archived_at: number | null
  created_at: number
  updated_at: number
}

export interface ProjectMembersTable {
  project_id: string
  user_id: string
  role: 'owner' | 'admin' | 'member' | 'viewer'
  created_at: number
}

export interface InvitationsTable {
  id: string
  project_id: string
  email: string
  role: 'owner' | 'admin' | 'member' | 'viewer'
  token_hash: string
  invited_by: string | null
  created_at: number
  expires_at: number
  /** Set when the link was used; the row stays so the link can say so. Null while pending. */
  accepted_at: number | null
}

export interface MailOutboxTable {
  id: Generated<number>
  to_address: string
  subject: string
  text: string
  created_at: number
  /** HTML alternative of `text` (notification mail); null for plain-text-only mail. */
  html: ColumnType<string | null, string | null | undefined, string | null>
  /** Extra headers as a JSON object (e.g. List-Unsubscribe); null for none. */
  headers: ColumnType<string | null, string | null | undefined, string | null>
}

export interface Database
  extends ReportTables,
    ActivityTables,
    NotificationTables,
    WebhookTables,
    AttachmentTables {
  personal_views: PersonalViewsTable
  doc_updates: DocUpdatesTable
  doc_snapshots: DocSnapshotsTable
  doc_checkpoints: DocCheckpointsTable
  doc_state_parts: DocStatePartsTable
  history_index: HistoryIndexTable
  history_versions: HistoryVersionsTable
  history_steps: HistoryStepsTable
  history_board: HistoryBoardTable
  history_board_packs: HistoryBoardPacksTable
  history_index_packs: HistoryIndexPacksTable
  history_index_pack_tasks: HistoryIndexPackTasksTable
  client_bindings: ClientBindingsTable
  doc_leases: DocLeasesTable
  derivation_leases: DerivationLeasesTable
  api_clients: ApiClientsTable
  idempotency_keys: IdempotencyKeysTable
  users: UsersTable
  sessions: SessionsTable
  api_tokens: ApiTokensTable
  password_resets: PasswordResetsTable
  email_verifications: EmailVerificationsTable
  projects: ProjectsTable
  project_members: ProjectMembersTable
  invitations: InvitationsTable
  mail_outbox: MailOutboxTable
  instance_settings: InstanceSettingsTable
  oidc_identities: OidcIdentitiesTable
  oidc_logins: OidcLoginsTable
}

export interface ReportStateTable {
  project_id: string
  projected_seq: number
}

export interface ReportColumnsTable {
  project_id: string
  column_id: string
  name: string
  category: 'todo' | 'in_progress' | 'done'
  position: number
  wip_limit: number | null
}

export interface ReportTasksTable {
  project_id: string
  task_id: string
  title: string
  column_id: string
  column_name: string
  category: 'todo' | 'in_progress' | 'done'
  priority: string
  estimate: number | null
  start_date: string | null
  due_date: string | null
  created_at: number | null
  created_by: string | null
  updated_at: number | null
  completed_at: number | null
  deleted_at: number | null
  /** JSON array of user ids (also one row each in report_task_assignees). */
  assignee_ids: string
  /** JSON array of label ids. */
  label_ids: string
  /** The parent task as the board shows it (H1–H5), null at top level (issue 14). */
  parent_id: string | null
}

export interface ReportTaskAssigneesTable {
  project_id: string
  task_id: string
  user_id: string
  /** 1 while the task is live and not in a done column. */
  open: number
  /** The task's due date, or '9999-12-31' when it has none (sorts last). */
  due_key: string
}

export interface ReportStatusChangesTable {
  id: Generated<number>
  project_id: string
  task_id: string
  from_column_id: string | null
  from_category: string | null
  to_column_id: string
  to_category: string
  at: number
  user_id: string | null
  seq: number
}

/** A custom field of a project as the projection holds it (deleted ones flagged). */
export interface ReportFieldsTable {
  project_id: string
  field_id: string
  name: string
  /** text, number, date, single_select, multi_select, checkbox, person, url */
  type: string
  position: number
  deleted: number
}

export interface ReportFieldOptionsTable {
  project_id: string
  field_id: string
  option_id: string
  name: string
  color: string
  position: number
}

/** A task's stored value of a field, raw (F9): reports apply the field's type when reading. */
export interface ReportTaskFieldValuesTable {
  project_id: string
  task_id: string
  field_id: string
  option_id: string | null
  value_text: string | null
  value_number: number | null
}

/** A live task's searchable text (search/); `search_fts` indexes it (raw SQL only). */
export interface SearchDocsTable {
  id: Generated<number>
  project_id: string
  task_id: string
  title: string
  description: string
  comments: string
  checklist: string
  labels: string
  /** 'p' + the project id's hex digits: one FTS token per project. */
  scope: string
}

/** Projects whose tasks predate the search index: indexed from their documents at start-up. */
export interface SearchBackfillTable {
  project_id: string
}

/** One relation between two tasks of a board (projected, R1–R8 of the document schema). */
export interface TaskRelationsTable {
  project_id: string
  from_task_id: string
  /** 'blocks' | 'relates' | 'duplicate' (relates: from_task_id < to_task_id). */
  type: string
  to_task_id: string
  created_by: string | null
  created_at: number | null
}

/** Tables of the reporting projection (reports/). */
export interface ReportTables {
  report_state: ReportStateTable
  report_columns: ReportColumnsTable
  report_tasks: ReportTasksTable
  report_task_assignees: ReportTaskAssigneesTable
  report_status_changes: ReportStatusChangesTable
  report_fields: ReportFieldsTable
  report_field_options: ReportFieldOptionsTable
  report_task_field_values: ReportTaskFieldValuesTable
  task_relations: TaskRelationsTable
  search_docs: SearchDocsTable
  search_backfill: SearchBackfillTable
}

/** How far each derivation consumer has derived each document (derivation/engine.ts). */
export interface DerivationCursorsTable {
  consumer: string
  doc_name: string
  /**
   * Every logged update up to this seq has had its effects in this consumer; -1 when only
   * parts were written yet (never a whole seq).
   */
  seq: number
  /**
   * Effects attributed to single seqs (activity entries, status changes…) written in parts
   * past `seq`: all of a seq below this one and the first `part_count` of this one, in the
   * engine's order. Null when `seq` says it all.
   */
  part_seq: number | null
  part_count: Generated<number>
}

export interface ActivityStateTable {
  project_id: string
  derived_seq: number
}

export interface ActivityTable {
  id: Generated<number>
  project_id: string
  task_id: string
  kind: string
  /** Field name, checklist item id or comment id; '' when the kind needs none. */
  subject: string
  user_id: string | null
  seq: number
  last_seq: number
  at: number
  last_at: number
  /** JSON object, per kind (docs/api.md). */
  data: string
}

/** Tables of the activity log (activity/). */
export interface ActivityTables {
  derivation_cursors: DerivationCursorsTable
  activity_state: ActivityStateTable
  activity: ActivityTable
  board_visits: BoardVisitsTable
}

/** A user's last visit of a board (away/): server time the board was last open and synced. */
export interface BoardVisitsTable {
  user_id: string
  project_id: string
  visited_at: number
}

export interface TaskWatchersTable {
  project_id: string
  task_id: string
  user_id: string
  /** 1 watching, 0 explicitly unwatched. */
  watching: number
  updated_at: number
}

export interface NotificationsTable {
  id: Generated<number>
  user_id: string
  project_id: string
  task_id: string | null
  kind: string
  actor_id: string | null
  event_key: string
  data: string
  created_at: number
  read_at: number | null
  in_app: number
  email_state: 'none' | 'pending' | 'digest' | 'sent'
}

export interface NotificationPreferencesTable {
  user_id: string
  trigger: string
  in_app: number
  email: number
}

export interface NotificationSettingsTable {
  user_id: string
  email_mode: 'immediate' | 'digest'
  last_digest_at: number | null
  /** Bumped by every preference change; unsubscribe links carry the version they were sent under. */
  preferences_version: ColumnType<number, number | undefined, number>
}

export interface ServerSecretsTable {
  name: string
  secret: Uint8Array
}

/** Tables of notifications (notifications/). */
export interface NotificationTables {
  task_watchers: TaskWatchersTable
  notifications: NotificationsTable
  notification_preferences: NotificationPreferencesTable
  notification_settings: NotificationSettingsTable
  server_secrets: ServerSecretsTable
}

export interface WebhooksTable {
  id: string
  project_id: string
  url: string
  /** JSON array of event types. */
  events: string
  description: string
  enabled: number
  disabled_reason: string | null
  secret: string
  previous_secret: string | null
  previous_secret_expires_at: number | null
  created_by: string | null
  created_at: number
  updated_at: number
}

export interface WebhookDeliveriesTable {
  id: string
  seq: number
  webhook_id: string
  project_id: string
  event_key: string
  event_type: string
  payload: string
  status: 'pending' | 'delivered' | 'failed'
  attempts: number
  next_attempt_at: number | null
  manual: number
  created_at: number
}

export interface WebhookAttemptsTable {
  delivery_id: string
  attempt: number
  at: number
  response_status: number | null
  duration_ms: number
  error: string | null
}

export interface WebhookTables {
  webhooks: WebhooksTable
  webhook_deliveries: WebhookDeliveriesTable
  webhook_attempts: WebhookAttemptsTable
}

/** One stored file (TASKFLOW_FILES/<aa>/<bb>/<sha256>). */
export interface AttachmentBlobsTable {
  sha256: string
  size: number
  /** Sniffed image type (png/jpeg/gif/webp) or null. */
  image_type: string | null
  created_at: number
}

/** A file a project may serve: uploaded there (never merely referenced from its document). */
export interface ProjectAttachmentsTable {
  project_id: string
  sha256: string
  name: string
  type: string
  size: number
  uploaded_by: string | null
  uploaded_at: number
  /** Since when no document of the project refers to it; null while one does. */
  unreferenced_since: number | null
}

export interface AttachmentTables {
  attachment_blobs: AttachmentBlobsTable
  project_attachments: ProjectAttachmentsTable
}

/** A user's own saved view of a project; `deleted` rows are tombstones (see the migration). */
export interface PersonalViewsTable {
  user_id: string
  view_id: string
  project_id: string
  name: string
  body: string
  updated_at: number
  deleted: number
}
