/**
 * Builds the release tarball into release/ at the repository root (or `--out <dir>`).
 *   pnpm release
 */
import { parseArgs } from 'node:util'
import { buildRelease } from './build-release.js'

const { values } = parseArgs({ options: { out: { type: 'string' } } })
buildRelease({ outDir: values.out }).catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
