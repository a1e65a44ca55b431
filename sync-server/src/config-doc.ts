import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { configSchema } from './config.js'

/** Where the generated table lives in docs/operations.md. */
export const CONFIG_TABLE_START =
  '<!-- config-table:start (generated from sync-server/src/config.ts: pnpm --filter @taskflow/sync-server docs:config) -->'
export const CONFIG_TABLE_END = '<!-- config-table:end -->'

const CONFIG_SOURCE = fileURLToPath(new URL('./config.ts', import.meta.url))

/**
 * The configuration table of docs/operations.md, built from config.ts itself: every key of
 * the schema, its default as the schema gives it, and the doc comment above the key. So the
 * documentation cannot drift from what the server accepts (a test compares them).
 */
export function configTable(source = readFileSync(CONFIG_SOURCE, 'utf8')): string {
  const rows = Object.entries(configSchema.shape).map(([key, type]) => {
    const doc = docCommentOf(source, key)
    if (!doc) throw new Error(`config.ts: ${key} has no doc comment`)
    const parsed = type.safeParse(undefined)
    const value = parsed.success ? parsed.data : undefined
    return `| \`${key}\` | ${formatDefault(key, value)} | ${doc.replace(/\|/g, '\\|')} |`
  })
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n')
}

function docCommentOf(source: string, key: string): string | undefined {
  const at = source.search(new RegExp(`^\\s+${key}:`, 'm'))
  if (at < 0) return undefined
  const before = source.slice(0, at).trimEnd()
  if (!before.endsWith('*/')) return undefined
  const open = before.lastIndexOf('/**')
  return before
    .slice(open + 3, -2)
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trim())
    .filter(Boolean)
    .join(' ')
}

function formatDefault(key: string, value: unknown): string {
  if (value === undefined || value === '') return 'unset'
  // The app folder defaults to the app/dist beside the server, an absolute path per machine.
  if (key === 'TASKFLOW_APP_DIR') return '`app/dist` of the checkout or release bundle'
  if (typeof value === 'number' && value >= 1024 * 1024 && value % (1024 * 1024) === 0) {
    return `${value / (1024 * 1024)} MiB`
  }
  return `\`${String(value)}\``
}

/**
 * CONFIGURATION.md of the release bundle: the same table as docs/operations.md, with how
 * to set the variables when TaskFlow runs from the bundle (`./taskflow start`, systemd).
 */
export function configReference(table = configTable()): string {
  return `# TaskFlow configuration

Every setting is an environment variable, read once at start. A bad value stops start-up
with one line naming it (\`taskflow: Invalid PORT="x": …\`) and exit code 1.

Set them in the environment of \`./taskflow start\` (\`PORT=9000 ./taskflow start\`), or in the
systemd unit (\`Environment=\` lines, or \`EnvironmentFile=/etc/taskflow.env\` with one
\`NAME=value\` per line; see \`taskflow.service\`). \`./taskflow backup|verify|restore\` read
the same \`TASKFLOW_DB\`, so give them the same environment as the server.

Relative paths (\`TASKFLOW_DB\`, \`TASKFLOW_APP_DIR\`) are read from the folder the command
is run in (\`pnpm start\` in a checkout, \`./taskflow start\` here): give \`TASKFLOW_DB\` as an
absolute path outside the unpacked bundle, so an upgrade (a new bundle folder) keeps the data.

This file is generated from the server's \`config.ts\` when the bundle is built.

${table}
`
}

/** `markdown` with the text between the table markers replaced by `table`. */
export function withConfigTable(markdown: string, table: string): string {
  const start = markdown.indexOf(CONFIG_TABLE_START)
  const end = markdown.indexOf(CONFIG_TABLE_END)
  if (start < 0 || end < start) throw new Error('docs/operations.md has no config table markers')
  return `${markdown.slice(0, start + CONFIG_TABLE_START.length)}\n\n${table}\n\n${markdown.slice(end)}`
}
