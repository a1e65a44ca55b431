import { describe, expect, it } from 'vitest'
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
