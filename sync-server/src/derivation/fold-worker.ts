import { parentPort } from 'node:worker_threads'
import { InlineFolder } from './folder.js'
import type { FolderRequest, FolderResponse } from './worker-folder.js'

// The worker side of WorkerFolder: the folds live here, off the server's event loop.
const folder = new InlineFolder()
const port = parentPort
if (!port) throw new Error('fold-worker runs as a worker thread')

port.on('message', async (req: FolderRequest) => {
  let res: FolderResponse
  try {
    if (req.op === 'init') {
      res = { id: req.id, ok: true, pos: await folder.init(req.key, req.base, req.at) }
    } else if (req.op === 'advance') {
      const r = await folder.advance(req.key, req.rows)
      res = { id: req.id, ok: true, pos: r.pos, out: r.out }
    } else {
      folder.drop(req.key)
      return
    }
  } catch (err) {
    res = { id: req.id, ok: false, error: String(err) }
  }
  port.postMessage(res)
})
