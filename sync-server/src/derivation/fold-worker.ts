import { parentPort } from 'node:worker_threads'
import { InlineFolder } from './folder.js'
import { type OutputPage, splitOutput } from './output-pages.js'
import type { FolderRequest, FolderResponse } from './worker-folder.js'

// The worker side of WorkerFolder: the folds live here, off the server's event loop.
const folder = new InlineFolder()
/** Pages of each fold's last advance not asked for yet, with its position. */
const pagesOf = new Map<string, { pos: number; pages: OutputPage[] }>()
const port = parentPort
if (!port) throw new Error('fold-worker runs as a worker thread')

port.on('message', async (req: FolderRequest) => {
  let res: FolderResponse
  try {
    if (req.op === 'init') {
      pagesOf.delete(req.key)
      res = { id: req.id, ok: true, pos: await folder.init(req.key, req.base, req.at) }
    } else if (req.op === 'advance') {
      const r = await folder.advance(req.key, req.rows)
      const { head, pages } = splitOutput(r.out, req.pageItems)
      if (pages.length > 0) pagesOf.set(req.key, { pos: r.pos, pages })
      else pagesOf.delete(req.key)
      res = { id: req.id, ok: true, pos: r.pos, out: head, pages: pages.length }
    } else if (req.op === 'page') {
      const pending = pagesOf.get(req.key)
      const page = pending?.pages.shift()
      if (!pending || !page) throw new Error(`no output page for ${req.key}`)
      if (pending.pages.length === 0) pagesOf.delete(req.key)
      res = { id: req.id, ok: true, pos: pending.pos, page }
    } else {
      pagesOf.delete(req.key)
      folder.drop(req.key)
      return
    }
  } catch (err) {
    res = { id: req.id, ok: false, error: String(err) }
  }
  port.postMessage(res)
})
