// CPU of the authorship check alone (SPEC 7.2), per incoming update, on the relay
// benchmark's kind of traffic: 10 writers' small Kanban edits on a 200-task board. The
// harness's server CPU figure is coarse (10 ms ticks) and noisy on shared cores; this isolates
// the added work (a header read, or Y.parseUpdateMeta, + state lookups) with a high-resolution clock.
//
//   npx tsx bench/authorship-check.mjs [--edits 20000] [--reps 5]
import { parseArgs } from 'node:util'
import * as Y from 'yjs'
import { RoomAuthorship } from '../src/sync/authorship.ts'

const { values } = parseArgs({
  options: { edits: { type: 'string', default: '20000' }, reps: { type: 'string', default: '5' } },
})
const EDITS = Number(values.edits)

function makeUpdates() {
  let seed = 7
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x7fffffff
  }
  const origin = new Y.Doc()
  const tasks = origin.getMap('tasks')
  for (let i = 0; i < 200; i++) {
    const t = new Y.Map()
    t.set('title', `task ${i}`)
    t.set('status', 'todo')
    t.set('order', `a${i}`)
    t.set('description', new Y.Text('x'.repeat(200)))
    tasks.set(`t${i}`, t)
  }
  const seedUpdate = Y.encodeStateAsUpdate(origin)
  const writers = Array.from({ length: 10 }, () => {
    const d = new Y.Doc()
    Y.applyUpdate(d, seedUpdate)
    return d
  })
  const updates = []
  for (let k = 0; k < EDITS; k++) {
    const w = writers[k % writers.length]
    // What a provider sends: the transaction's own update (its deletions only).
    let u = null
    const take = (update) => {
      u = update
    }
    w.on('update', take)
    const map = w.getMap('tasks')
    const task = map.get(`t${Math.floor(rnd() * 200)}`)
    const r = rnd()
    if (r < 0.6) task.set('status', ['todo', 'doing', 'done'][Math.floor(rnd() * 3)])
    else if (r < 0.8) task.get('description').insert(Math.floor(rnd() * 200), 'abc')
    else if (r < 0.9) task.set('order', `b${k}`)
    else {
      const t = new Y.Map()
      t.set('title', `new ${k}`)
      t.set('description', new Y.Text('y'.repeat(200)))
      map.set(`n${k}`, t)
    }
    w.off('update', take)
    // Every writer receives every edit, as through the server.
    for (const o of writers) if (o !== w) Y.applyUpdate(o, u)
    updates.push({ writer: k % writers.length, update: u })
  }
  return { seedUpdate, updates }
}

const { seedUpdate, updates } = makeUpdates()
const meanBytes = updates.reduce((n, u) => n + u.update.length, 0) / updates.length
const perUpdateNs = []
for (let rep = 0; rep < Number(values.reps); rep++) {
  // Bindings are kept in memory by the room and stored by the group commit (not timed here).
  const authorship = new RoomAuthorship('bench', new Map())
  const doc = new Y.Doc()
  Y.applyUpdate(doc, seedUpdate)
  let checkNs = 0n
  for (const { writer, update } of updates) {
    const t0 = process.hrtime.bigint()
    const result = authorship.check(doc, update, `user-${writer}`)
    checkNs += process.hrtime.bigint() - t0
    if (!result.ok) throw new Error(result.reason)
    Y.applyUpdate(doc, update)
    if (result.claims.length > 0) authorship.bind(result.claims, `user-${writer}`, Date.now())
  }
  perUpdateNs.push(Number(checkNs) / updates.length)
}
perUpdateNs.sort((a, b) => a - b)
const median = perUpdateNs[Math.floor(perUpdateNs.length / 2)]
console.log(
  `${updates.length} updates (mean ${meanBytes.toFixed(0)} B), ${values.reps} reps: check ` +
    `${(median / 1000).toFixed(2)} µs per update median (${(perUpdateNs[0] / 1000).toFixed(2)}–` +
    `${(perUpdateNs.at(-1) / 1000).toFixed(2)}); per delivery at 50 clients (49 receivers): ` +
    `${(median / 49 / 1000).toFixed(3)} µs`,
)
