import type { z } from 'zod'

/**
 * Small per-account JSON cache in localStorage for REST data the app must show offline
 * (projects list, members). Documents live in IndexedDB instead (see project-doc.ts).
 * Every key starts with the account's prefix so signing out can drop exactly that account.
 */
const PREFIX = 'taskflow.cache.'

export const accountCachePrefix = (userId: string) => `${PREFIX}${userId}.`

export function writeCache(userId: string, key: string, value: unknown): void {
  try {
    localStorage.setItem(accountCachePrefix(userId) + key, JSON.stringify(value))
  } catch {
    // Quota errors only cost offline convenience; the server still has the data.
  }
}

/** Reads back a cached value, validated like any data from outside; null when absent or stale-shaped. */
export function readCache<T>(userId: string, key: string, schema: z.ZodType<T>): T | null {
  try {
    const raw = localStorage.getItem(accountCachePrefix(userId) + key)
    if (raw === null) return null
    const parsed = schema.safeParse(JSON.parse(raw))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

export function clearAccountCache(userId: string): void {
  const prefix = accountCachePrefix(userId)
  const keys: string[] = []
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i)
    if (key?.startsWith(prefix)) keys.push(key)
  }
  for (const key of keys) localStorage.removeItem(key)
}
