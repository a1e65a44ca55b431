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
  state: Uint8Array
  created_at: number
}

export interface Database {
  doc_updates: DocUpdatesTable
  doc_snapshots: DocSnapshotsTable
}
