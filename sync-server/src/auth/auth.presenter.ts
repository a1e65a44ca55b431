import type { User } from '@taskflow/api'
import type { UserRow } from './users.repository.js'

/** The public view of a user row: never includes the password hash. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    avatarColor: row.avatar_color,
    createdAt: new Date(row.created_at).toISOString(),
  }
}

const PALETTE = ['#e11d48', '#d97706', '#16a34a', '#0891b2', '#2563eb', '#7c3aed', '#db2777']

/** A stable default colour per e-mail, so avatars differ before anyone picks one. */
export function defaultAvatarColor(email: string): string {
  let h = 0
  for (const ch of email) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  return PALETTE[h % PALETTE.length]!
}
