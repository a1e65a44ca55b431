import { describe, expect, it } from 'vitest'
import { ConfigError, emailVerificationRequired, parseConfig } from './config.js'

describe('config', () => {
  it('reads a relative TASKFLOW_DB from the folder `pnpm start` was typed in, not sync-server/', () => {
    const config = parseConfig({ INIT_CWD: '/srv/taskflow' })
    expect(config.TASKFLOW_DB).toBe('/srv/taskflow/data/taskflow.db')
    expect(parseConfig({ INIT_CWD: '/srv/taskflow', TASKFLOW_DB: 'db/x.db' }).TASKFLOW_DB).toBe(
      '/srv/taskflow/db/x.db',
    )
    expect(parseConfig({ TASKFLOW_DB: '/var/lib/t.db' }).TASKFLOW_DB).toBe('/var/lib/t.db')
    expect(parseConfig({ TASKFLOW_DB: ':memory:' }).TASKFLOW_DB).toBe(':memory:')
  })

  it('links in e-mails follow PORT unless TASKFLOW_PUBLIC_URL says where people open the app', () => {
    expect(parseConfig({ PORT: '9000' }).TASKFLOW_PUBLIC_URL).toBe('http://localhost:9000')
    expect(parseConfig({}).TASKFLOW_PUBLIC_URL).toBe('http://localhost:8787')
    const set = parseConfig({ PORT: '9000', TASKFLOW_PUBLIC_URL: 'https://tasks.example.org/' })
    expect(set.TASKFLOW_PUBLIC_URL).toBe('https://tasks.example.org')
    expect(set.publicUrlDefaulted).toBe(false)
  })

  it('e-mail verification: auto (the default) asks for it exactly when SMTP_URL is set', () => {
    const smtp = { SMTP_URL: 'smtp://mail.example.org:587' }
    const required = (env: Record<string, string>) => emailVerificationRequired(parseConfig(env))
    expect(parseConfig({}).TASKFLOW_EMAIL_VERIFICATION).toBe('auto')
    expect(required({})).toBe(false)
    expect(required(smtp)).toBe(true)
    expect(required({ TASKFLOW_EMAIL_VERIFICATION: 'auto', ...smtp })).toBe(true)
    expect(required({ TASKFLOW_EMAIL_VERIFICATION: 'required' })).toBe(true)
    expect(required({ TASKFLOW_EMAIL_VERIFICATION: 'off', ...smtp })).toBe(false)
    expect(() => parseConfig({ TASKFLOW_EMAIL_VERIFICATION: 'yes' })).toThrow(
      /^Invalid TASKFLOW_EMAIL_VERIFICATION="yes"/,
    )
  })

  it('stops with one line naming the variable for a bad value', () => {
    expect(() => parseConfig({ PORT: 'x' })).toThrow(ConfigError)
    expect(() => parseConfig({ PORT: 'x' })).toThrow(/^Invalid PORT="x": /)
  })

  it('single sign-on needs an https issuer and a client id; http only when allowed outside production', () => {
    const sso = {
      TASKFLOW_OIDC_ISSUER: 'https://id.example.org/realms/acme/',
      TASKFLOW_OIDC_CLIENT_ID: 'taskflow',
    }
    expect(parseConfig(sso).TASKFLOW_OIDC_ISSUER).toBe('https://id.example.org/realms/acme')
    expect(() => parseConfig({ ...sso, TASKFLOW_OIDC_CLIENT_ID: undefined })).toThrow(
      /^Invalid TASKFLOW_OIDC_CLIENT_ID=""/,
    )
    expect(() => parseConfig({ TASKFLOW_OIDC_CLIENT_ID: 'taskflow' })).toThrow(
      /^Invalid TASKFLOW_OIDC_CLIENT_ID: set TASKFLOW_OIDC_ISSUER too/,
    )
    expect(() => parseConfig({ TASKFLOW_OIDC_ONLY: '1' })).toThrow(/^Invalid TASKFLOW_OIDC_ONLY=1/)
    expect(() => parseConfig({ ...sso, TASKFLOW_OIDC_SCOPES: 'email profile' })).toThrow(
      /^Invalid TASKFLOW_OIDC_SCOPES=.*must include openid/,
    )
    const http = { ...sso, TASKFLOW_OIDC_ISSUER: 'http://127.0.0.1:9000' }
    expect(() => parseConfig(http)).toThrow(
      /^Invalid TASKFLOW_OIDC_ISSUER="http:\/\/127.0.0.1:9000": must be https/,
    )
    expect(parseConfig({ ...http, TASKFLOW_OIDC_ALLOW_HTTP: '1' }).TASKFLOW_OIDC_ISSUER).toBe(
      'http://127.0.0.1:9000',
    )
    expect(() =>
      parseConfig({ ...http, TASKFLOW_OIDC_ALLOW_HTTP: '1', NODE_ENV: 'production' }),
    ).toThrow(/^Invalid TASKFLOW_OIDC_ALLOW_HTTP=1: refused when NODE_ENV=production/)
  })
})
