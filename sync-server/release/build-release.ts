/**
 * The release bundle: one tarball a Linux machine with only Node runs TaskFlow from (no
 * pnpm, no source, no compiler, no network). `pnpm release` at the root calls it.
 *
 *   taskflow-<version>/
 *     taskflow              launcher (files/taskflow): start | backup | verify | restore
 *     taskflow.service      systemd unit example
 *     README.md  CONFIGURATION.md (generated from config.ts)  VERSION  package.json
 *     sync-server/dist/     main.mjs, taskflow.mjs (the CLI), compaction-worker.mjs and their shared chunks; fold-worker.js
 *     app/dist/             the built web app
 *     node_modules/         the native externals and their runtime dependencies only
 *
 * The layout mirrors the checkout on purpose: the server finds files relative to its own
 * module (`../../app/dist`, `../../package.json`), so those resolve inside the bundle too.
 */
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { configReference } from '../src/config-doc.js'

const SERVER_ROOT = fileURLToPath(new URL('..', import.meta.url))
const REPO_ROOT = join(SERVER_ROOT, '..')
const APP_ROOT = join(REPO_ROOT, 'app')
const FILES = join(SERVER_ROOT, 'release', 'files')

/**
 * Left out of the bundle: native addons (a .node file cannot be bundled) are shipped in
 * node_modules with the binaries built for this Node; ws's optional accelerators are not
 * installed (ws falls back to JavaScript). Everything else, npm packages included, is
 * bundled, so yjs is one instance and node_modules stays small.
 */
// sharp: its binding and libvips come prebuilt in @img/sharp-<platform> packages (optional
// dependencies, copied for this platform only).
export const NATIVE_EXTERNALS = ['better-sqlite3', '@node-rs/argon2', 'sharp']
const OPTIONAL_EXTERNALS = ['bufferutil', 'utf-8-validate']

/** Declared dependencies only used by a package's install script, never at run time. */
const INSTALL_TIME_ONLY = new Set(['prebuild-install'])

export interface Release {
  tarball: string
  version: string
  /** Top-level folder inside the tarball, `taskflow-<version>`. */
  folder: string
}

export async function buildRelease(
  opts: { outDir?: string; log?: (line: string) => void } = {},
): Promise<Release> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`))
  const outDir = opts.outDir ?? join(REPO_ROOT, 'release')
  const started = performance.now()
  const version = readJson(join(SERVER_ROOT, 'package.json')).version as string
  const nodeMajor = process.versions.node.split('.')[0]!
  const folder = `taskflow-${version}`
  const name = `${folder}-${process.platform}-${process.arch}-node${nodeMajor}.tar.gz`
  const work = mkdtempSync(join(tmpdir(), 'taskflow-release-'))
  const stage = join(work, folder)
  try {
    const step = (what: string) =>
      log(`release: ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`)

    await bundleServer(join(stage, 'sync-server', 'dist'))
    step('server bundled')
    buildApp(join(stage, 'app', 'dist'))
    step('app built')
    const versions = copyRuntimePackages(NATIVE_EXTERNALS, join(stage, 'node_modules'))
    step(`node_modules: ${Object.keys(versions).join(', ')}`)

    writeFileSync(
      join(stage, 'package.json'),
      `${JSON.stringify(
        {
          name: 'taskflow',
          version,
          private: true,
          type: 'module',
          engines: { node: `^${nodeMajor}.19.0` },
          dependencies: Object.fromEntries(NATIVE_EXTERNALS.map((n) => [n, versions[n]])),
        },
        null,
        2,
      )}\n`,
    )
    const launcher = readFileSync(join(FILES, 'taskflow'), 'utf8')
      .replaceAll('@NODE_MAJOR@', nodeMajor)
      .replaceAll('@NODE_ABI@', process.versions.modules)
    writeFileSync(join(stage, 'taskflow'), launcher)
    chmodSync(join(stage, 'taskflow'), 0o755)
    cpSync(join(FILES, 'taskflow.service'), join(stage, 'taskflow.service'))
    cpSync(join(FILES, 'README.md'), join(stage, 'README.md'))
    writeFileSync(join(stage, 'CONFIGURATION.md'), configReference())
    writeFileSync(
      join(stage, 'VERSION'),
      [
        version,
        `commit ${gitCommit()}`,
        `built for node ${nodeMajor} (ABI ${process.versions.modules}), ${process.platform}-${process.arch}`,
        '',
      ].join('\n'),
    )

    mkdirSync(outDir, { recursive: true })
    const tarball = join(outDir, name)
    // Written beside and renamed, so the tarball at `tarball` is never half written.
    const partial = `${tarball}.partial`
    run('tar', ['-C', work, '--owner=0', '--group=0', '--numeric-owner', '-czf', partial, folder])
    renameSync(partial, tarball)
    step(`${tarball} (${(statSync(tarball).size / 1024 / 1024).toFixed(1)} MiB)`)
    return { tarball, version, folder }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** src/main.ts and the CLI, with every workspace and npm package but the externals. */
async function bundleServer(outdir: string): Promise<void> {
  await build({
    absWorkingDir: SERVER_ROOT,
    // The compaction worker is loaded from next to the code that starts it
    // (src/sync/compaction-encoder.ts): dist/compaction-worker.mjs.
    entryPoints: {
      main: 'src/main.ts',
      taskflow: 'src/cli/taskflow.cli.ts',
      'compaction-worker': 'src/sync/compaction-worker.mjs',
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // The two entry points share one copy of the server code.
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    external: [...NATIVE_EXTERNALS, ...OPTIONAL_EXTERNALS],
    // Bundled CommonJS packages call require() for Node built-ins, which ESM lacks.
    banner: {
      js: "import { createRequire as __taskflowCreateRequire } from 'node:module';\nconst require = __taskflowCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  })
  // The derivation engine's fold worker is loaded as fold-worker.js from next to the code
  // that starts it (src/derivation/worker-folder.ts); the package is "type": "module".
  await build({
    absWorkingDir: SERVER_ROOT,
    entryPoints: ['src/derivation/fold-worker.ts'],
    outfile: join(outdir, 'fold-worker.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    external: [...NATIVE_EXTERNALS, ...OPTIONAL_EXTERNALS],
    banner: {
      js: "import { createRequire as __taskflowCreateRequire } from 'node:module';\nconst require = __taskflowCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  })
}

/** `vite build` of app/ into `outDir` (not app/dist, which tests of the checkout serve). */
function buildApp(outDir: string): void {
  const vitePkg = createRequire(join(APP_ROOT, 'package.json')).resolve('vite/package.json')
  const bin = readJson(vitePkg).bin as Record<string, string>
  const vite = join(dirname(vitePkg), bin.vite!)
  run(
    process.execPath,
    [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: APP_ROOT,
    },
  )
  if (!existsSync(join(outDir, 'index.html'))) throw new Error('vite build wrote no index.html')
}

/**
 * Copies `roots` (resolved from sync-server/) and their runtime dependencies, followed
 * through pnpm's symlinks, into one flat `node_modules`. Optional dependencies are copied
 * when installed (e.g. argon2's binary for this platform only). Of a native addon
 * (binding.gyp) only the compiled `build/Release/*.node` is kept, not its C sources or
 * build tree. Returns name → version.
 */
export function copyRuntimePackages(roots: string[], nodeModules: string): Record<string, string> {
  const copied = new Map<string, { dir: string; version: string }>()
  const queue = roots.map((name) => ({ name, from: SERVER_ROOT, optional: false }))
  while (queue.length > 0) {
    const { name, from, optional } = queue.shift()!
    const dir = findPackage(name, from)
    if (!dir) {
      if (optional) continue
      throw new Error(`release: ${name} (needed from ${from}) is not installed; run pnpm install`)
    }
    const seen = copied.get(name)
    if (seen) {
      if (seen.dir !== dir) {
        throw new Error(
          `release: two versions of ${name} (${seen.dir}, ${dir}); one flat node_modules cannot hold both`,
        )
      }
      continue
    }
    const pkg = readJson(join(dir, 'package.json'))
    copied.set(name, { dir, version: pkg.version })
    // sharp keeps its binding.gyp (and C++ sources) in src/.
    const native =
      existsSync(join(dir, 'binding.gyp')) || existsSync(join(dir, 'src', 'binding.gyp'))
    cpSync(dir, join(nodeModules, name), {
      recursive: true,
      dereference: true,
      filter: (src) => keepFile(relative(dir, src).split(sep).join('/'), native),
    })
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      if (!INSTALL_TIME_ONLY.has(dep)) queue.push({ name: dep, from: dir, optional: false })
    }
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
      queue.push({ name: dep, from: dir, optional: true })
    }
  }
  return Object.fromEntries([...copied].map(([n, { version }]) => [n, version]))
}

function keepFile(rel: string, native: boolean): boolean {
  if (rel === '') return true
  const top = rel.split('/')[0]!
  // Dependencies are copied flat, each from where Node would resolve it.
  if (top === 'node_modules') return false
  if (!native) return true
  if (top === 'src' || top === 'deps' || rel === 'binding.gyp') return false
  if (top === 'build')
    return rel === 'build' || rel === 'build/Release' || /^build\/Release\/[^/]+\.node$/.test(rel)
  return true
}

/** Node's lookup: `node_modules/<name>` in `from` and each folder above it, real path. */
function findPackage(name: string, from: string): string | undefined {
  for (let d = from; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate)
    if (dirname(d) === d) return undefined
  }
}

function gitCommit(): string {
  const rev = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  })
  if (rev.status !== 0) return 'unknown'
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  })
  return `${rev.stdout.trim()}${dirty.stdout.trim() ? ' (with uncommitted changes)' : ''}`
}

function run(cmd: string, args: string[], opts: { cwd?: string } = {}): void {
  const r = spawnSync(cmd, args, { ...opts, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (r.status !== 0) {
    throw new Error(
      `release: ${cmd} ${args.join(' ')} failed (${r.status ?? r.error}):\n${r.stdout}${r.stderr}`,
    )
  }
}

// biome-ignore lint/suspicious/noExplicitAny: package.json files are untyped JSON
function readJson(file: string): any {
  return JSON.parse(readFileSync(file, 'utf8'))
}
