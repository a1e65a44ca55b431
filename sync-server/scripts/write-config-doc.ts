/**
 * Rewrites the configuration table in docs/operations.md from src/config.ts.
 *   pnpm --filter @taskflow/sync-server docs:config
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { configTable, withConfigTable } from '../src/config-doc.js'

const doc = fileURLToPath(new URL('../../docs/operations.md', import.meta.url))
writeFileSync(doc, withConfigTable(readFileSync(doc, 'utf8'), configTable()))
process.stdout.write(`wrote the configuration table of ${doc}\n`)
