import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { configSchema } from './config.js'
import { CONFIG_TABLE_END, CONFIG_TABLE_START, configTable } from './config-doc.js'

const OPERATIONS = fileURLToPath(new URL('../../docs/operations.md', import.meta.url))

describe('configuration documentation', () => {
  it('docs/operations.md lists every variable config.ts accepts, with its default and doc line', () => {
    const doc = readFileSync(OPERATIONS, 'utf8')
    const table = doc.slice(
      doc.indexOf(CONFIG_TABLE_START) + CONFIG_TABLE_START.length,
      doc.indexOf(CONFIG_TABLE_END),
    )
    // Out of date? Run: pnpm --filter @taskflow/sync-server docs:config
    expect(table.trim()).toBe(configTable())
    for (const key of Object.keys(configSchema.shape)) expect(table).toContain(`| \`${key}\` |`)
  })

  it('reads defaults and doc comments from the source, refusing an undocumented key', () => {
    const table = configTable()
    expect(table).toContain(
      '| `PORT` | `8787` | HTTP + WebSocket port (0 = any free port, used by tests). |',
    )
    expect(table).toContain('| `TASKFLOW_MAX_MESSAGE_BYTES` | 16 MiB |')
    expect(() => configTable('const x = {\n  PORT: 1,\n}')).toThrow(/PORT has no doc comment/)
  })
})
