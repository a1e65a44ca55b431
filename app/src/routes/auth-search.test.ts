import { describe, expect, it } from 'vitest'
import { SSO_ERROR_CODES, SSO_ERROR_MESSAGES } from '../features/auth/sso-errors'
import { authSearchSchema } from './auth-search'

describe("the login page's redirect parameter", () => {
  it('keeps a same-app path', () => {
    expect(authSearchSchema.parse({ redirect: '/projects/p1?x=1' }).redirect).toBe(
      '/projects/p1?x=1',
    )
  })

  it('unwraps a redirect to the login page into the page it was going back to', () => {
    const nested = `/login?redirect=${encodeURIComponent(`/login?redirect=${encodeURIComponent('/projects/p1')}`)}`
    expect(authSearchSchema.parse({ redirect: nested }).redirect).toBe('/projects/p1')
  })

  it('drops other sites and a login page with nowhere to return to', () => {
    expect(authSearchSchema.parse({ redirect: '//evil.example/x' }).redirect).toBeUndefined()
    expect(authSearchSchema.parse({ redirect: 'https://evil.example' }).redirect).toBeUndefined()
    expect(authSearchSchema.parse({ redirect: '/signup' }).redirect).toBeUndefined()
  })
})

describe("the login page's single sign-on error", () => {
  it('keeps a reason the server sends, each with its own sentence, and drops anything else', () => {
    expect(authSearchSchema.parse({ ssoError: 'email_unverified' }).ssoError).toBe(
      'email_unverified',
    )
    expect(authSearchSchema.parse({ ssoError: 'Your account was hacked' }).ssoError).toBeUndefined()
    const sentences = SSO_ERROR_CODES.map((code) => SSO_ERROR_MESSAGES[code])
    expect(new Set(sentences).size).toBe(SSO_ERROR_CODES.length)
  })
})
