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

  it('stops with one line naming the variable for a bad value', () => {
    expect(() => parseConfig({ PORT: 'x' })).toThrow(ConfigError)
    expect(() => parseConfig({ PORT: 'x' })).toThrow(/^Invalid PORT="x": /)
  })
})
