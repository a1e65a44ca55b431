import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from './config.js'

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

  it('stops with one line naming the variable for a bad value', () => {
    expect(() => parseConfig({ PORT: 'x' })).toThrow(ConfigError)
    expect(() => parseConfig({ PORT: 'x' })).toThrow(/^Invalid PORT="x": /)
  })
})
