import type { Db } from '../db/database.js'

/** `open`: anyone may register. `invite_only`: only with a valid project invitation token. */
export const SIGNUP_MODES = ['open', 'invite_only'] as const
export type SignupMode = (typeof SIGNUP_MODES)[number]

export interface InstanceSettings {
  signup: SignupMode
}

const DEFAULTS: InstanceSettings = { signup: 'open' }

/** The instance settings, defaults filled in for rows never written. */
export async function readInstanceSettings(db: Db): Promise<InstanceSettings> {
  const rows = await db.selectFrom('instance_settings').select(['name', 'value']).execute()
  const stored = new Map(rows.map((r) => [r.name, r.value]))
  const signup = stored.get('signup')
  return {
    signup: (SIGNUP_MODES as readonly string[]).includes(signup ?? '')
      ? (signup as SignupMode)
      : DEFAULTS.signup,
  }
}

export async function writeInstanceSettings(
  db: Db,
  patch: Partial<InstanceSettings>,
): Promise<InstanceSettings> {
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined) continue
    await db
      .insertInto('instance_settings')
      .values({ name, value: String(value) })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: String(value) }))
      .execute()
  }
  return readInstanceSettings(db)
}
