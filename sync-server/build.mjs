// Bundles src/main.ts into dist/main.js. Workspace packages (@taskflow/*) export their
// TypeScript sources, so they are bundled; every npm dependency this package declares stays
// external (native modules like better-sqlite3 cannot be bundled, and yjs must be one
// instance). Anything else a workspace package imports is bundled, since pnpm does not make
// it resolvable from here.
import { readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { build } from 'esbuild'

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'))
const external = new Set(
  Object.keys(pkg.dependencies ?? {}).filter((d) => !d.startsWith('@taskflow/')),
)

const packageName = (spec) => {
  const parts = spec.split('/')
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

// BUILD_OUTFILE: a separate bundle for benchmarks that must not replace dist/ under others.
const outfile = process.env.BUILD_OUTFILE ?? 'dist/main.js'

await build({
  // The derivation engine's fold worker is its own file next to the bundle (worker-folder.ts).
  entryPoints: {
    [basename(outfile, '.js')]: 'src/main.ts',
    'fold-worker': 'src/derivation/fold-worker.ts',
  },
  outdir: dirname(outfile),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-npm-dependencies',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          external.has(packageName(args.path)) ? { path: args.path, external: true } : undefined,
        )
      },
    },
  ],
})

// The compaction worker (src/sync/compaction-encoder.ts) is loaded from next to the bundle.
await build({
  entryPoints: ['src/sync/compaction-worker.mjs'],
  outfile: join(dirname(outfile), 'compaction-worker.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  external: ['yjs'],
})
