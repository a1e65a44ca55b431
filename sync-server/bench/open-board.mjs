/**
 * Worker thread of first-projection-stall.ts (OPENER=thread): a client that opens a board and
 * says when it holds it. Applying a 10,000-task board is seconds of Yjs work for the client;
 * on the bench's main thread it would delay the fan-out latencies measured there.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

const { port, room, token } = workerData
const doc = new Y.Doc()
const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, room, doc, {
  WebSocketPolyfill: WebSocket,
  disableBc: true,
  params: { token },
})
provider.once('sync', () => {
  provider.destroy()
  doc.destroy()
  parentPort.postMessage('synced')
})
