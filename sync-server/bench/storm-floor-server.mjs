// The big-room floor (issue 17): the least a y-websocket-protocol server can do here for
// C clients joining one big board at once, or one writer and N observers — one Y.Doc per
// room in memory, the full-state answer (sync step 2 for an empty state vector) encoded
// once and the same bytes sent to every joining socket, updates applied and relayed as
// received; no presence, no auth, no persistence. big-room.sh runs it beside the reference
// and TaskFlow, so a p99 can be read against what the driver and this machine allow, not
// only against the target.
//   HOST=127.0.0.1 PORT=12380 node bench/storm-floor-server.mjs
// Modules come from the shared harness (BENCH_DIR, default /tmp/tf-bench), as join-storm.mjs.
import { createServer } from 'node:http'
import { pathToFileURL } from 'node:url'

const H = process.env.BENCH_DIR ?? '/tmp/tf-bench'
const load = (p) => import(pathToFileURL(`${H}/${p}`).href)
const Y = await load('node_modules/yjs/dist/yjs.mjs')
const { WebSocketServer } = await load('node_modules/ws/wrapper.mjs')
const encoding = await load('node_modules/lib0/encoding.js')
const decoding = await load('node_modules/lib0/decoding.js')

const MESSAGE_SYNC = 0
const STEP1 = 0
const STEP2 = 1
const UPDATE = 2

/** room name → { doc, sockets, fullAnswer (sync step 2 for an empty state vector, or null) } */
const rooms = new Map()

function roomOf(name) {
  let room = rooms.get(name)
  if (!room) {
    room = { doc: new Y.Doc(), sockets: new Set(), fullAnswer: null }
    rooms.set(name, room)
  }
  return room
}

function syncMessage(type, bytes) {
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, MESSAGE_SYNC)
  encoding.writeVarUint(enc, type)
  encoding.writeVarUint8Array(enc, bytes)
  return encoding.toUint8Array(enc)
}

function answerStep1(room, stateVector) {
  // An empty state vector (a joining client with nothing) gets the cached full answer.
  if (stateVector.length === 1 && stateVector[0] === 0) {
    room.fullAnswer ??= Buffer.from(syncMessage(STEP2, Y.encodeStateAsUpdate(room.doc)))
    return room.fullAnswer
  }
  return syncMessage(STEP2, Y.encodeStateAsUpdate(room.doc, stateVector))
}

const http = createServer((_req, res) => res.writeHead(404).end())
const wss = new WebSocketServer({ server: http, perMessageDeflate: false })
wss.on('connection', (ws, req) => {
  const room = roomOf((req.url ?? '/').slice(1).split('?')[0])
  room.sockets.add(ws)
  ws.send(syncMessage(STEP1, Y.encodeStateVector(room.doc)))
  ws.on('message', (data) => {
    const msg = new Uint8Array(data)
    const dec = decoding.createDecoder(msg)
    // Presence is not relayed: y-websocket clients re-send every remote awareness update,
    // and relaying each as received (no state kept, as a real server keeps) loops them.
    if (decoding.readVarUint(dec) !== MESSAGE_SYNC) return
    const type = decoding.readVarUint(dec)
    const bytes = decoding.readVarUint8Array(dec)
    if (type === STEP1) {
      ws.send(answerStep1(room, bytes))
      return
    }
    if (bytes.length <= 2) return // an empty step 2 or update
    Y.applyUpdate(room.doc, bytes)
    room.fullAnswer = null
    const relay = syncMessage(UPDATE, bytes)
    for (const other of room.sockets) if (other !== ws) other.send(relay)
  })
  ws.on('close', () => room.sockets.delete(ws))
})
http.listen(Number(process.env.PORT ?? 12380), process.env.HOST ?? '127.0.0.1')
