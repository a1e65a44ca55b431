// Prints the gzipped JavaScript a browser must load before each route can render: the
// entry chunk plus the route's lazy chunk and everything both import statically.
// Run after `vite build` (reads dist/.vite/manifest.json).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const dist = fileURLToPath(new URL('../dist/', import.meta.url))
const manifest = JSON.parse(readFileSync(`${dist}.vite/manifest.json`, 'utf8'))

function closure(keys) {
  const seen = new Set()
  const visit = (key) => {
    if (seen.has(key)) return
    seen.add(key)
    for (const dep of manifest[key]?.imports ?? []) visit(dep)
  }
  for (const k of keys) visit(k)
  return [...seen].map((k) => manifest[k].file).filter((f) => f.endsWith('.js'))
}

function sizes(files) {
  let raw = 0
  let gz = 0
  for (const f of files) {
    const buf = readFileSync(dist + f)
    raw += buf.length
    gz += gzipSync(buf, { level: 9 }).length
  }
  return { raw, gz }
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`
const entry = 'index.html'
const routes = {
  'login / projects list': [entry],
  'board (/projects/:id)': [entry, 'src/features/board/ProjectBoardPage.tsx'],
  'board + task panel': [
    entry,
    'src/features/board/ProjectBoardPage.tsx',
    'src/features/task/TaskPanel.tsx',
  ],
  'reports (/projects/:id/reports)': [entry, 'src/features/reports/ReportsPage.tsx'],
  'my tasks (/my-tasks)': [entry, 'src/features/reports/MyTasksPage.tsx'],
}
console.log('| route | JS files | raw | gzip |')
console.log('|---|---|---|---|')
for (const [name, keys] of Object.entries(routes)) {
  const files = closure(keys)
  const s = sizes(files)
  console.log(`| ${name} | ${files.length} | ${kb(s.raw)} | ${kb(s.gz)} |`)
}
const all = Object.values(manifest)
  .map((c) => c.file)
  .filter((f) => f.endsWith('.js'))
const t = sizes(all)
console.log(
  `| all chunks (precached by the service worker) | ${all.length} | ${kb(t.raw)} | ${kb(t.gz)} |`,
)
