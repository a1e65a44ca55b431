import { type Algorithm, hash, verify } from '@node-rs/argon2'

// argon2id with the library defaults (19 MiB, t=2, p=1): OWASP's recommended minimum.
const OPTIONS = { algorithm: 2 as Algorithm.Argon2id }

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

/** Constant-time check (inside argon2). Never throws: a malformed stored hash is a mismatch. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  // An account without a password (single sign-on stores '!sso') costs one real check too:
  // a refusal that skipped argon2 would tell a guesser which accounts sign in through SSO.
  if (!stored.startsWith('$argon2')) return verifyAgainstDummy(password)
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}

let dummy: Promise<string> | undefined

/** Starts hashing the dummy at start-up, so the first unknown-address login is not slower. */
export function primeDummyHash(): Promise<string> {
  dummy ??= hashPassword('taskflow-dummy-password')
  return dummy
}

/**
 * Spends the same time as a real check when the account does not exist, so login timing
 * does not reveal which e-mails have accounts.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(await primeDummyHash(), password)
  return false
}
