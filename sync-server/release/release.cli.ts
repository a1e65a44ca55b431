/**
 * Builds the release tarball into release/ at the repository root (or `--out <dir>`).
 *   pnpm release
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { buildRelease } from './build-release.js'

const { values } = parseArgs({ options: { out: { type: 'string' } } })
// Like other paths given to pnpm scripts: relative to where the command was typed.
const outDir = values.out && resolve(process.env.INIT_CWD ?? process.cwd(), values.out)
buildRelease({ outDir }).catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
