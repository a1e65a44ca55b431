import { useEffect, useState } from 'react'
import { getIsAdmin } from '../../api/admin.api'

// One question per session token: the menu asks on every signed-in page.
const answers = new Map<string, Promise<boolean>>()

/**
 * Whether the signed-in account is an instance admin (`GET /me`). False until the server
 * answered, and offline: the admin page needs the server anyway.
 */
export function useIsAdmin(token: string): boolean {
  const [admin, setAdmin] = useState(false)
  useEffect(() => {
    let live = true
    let answer = answers.get(token)
    if (!answer) {
      answer = getIsAdmin().catch(() => {
        answers.delete(token)
        return false
      })
      answers.set(token, answer)
    }
    void answer.then((a) => {
      if (live) setAdmin(a)
    })
    return () => {
      live = false
    }
  }, [token])
  return admin
}
