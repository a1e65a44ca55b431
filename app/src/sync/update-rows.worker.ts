import { type LoadedRows, runRowsOp } from './update-rows'

/** Messages between update-rows-client.ts and this worker. */
export type RowsRequest = { id: number; op: 'load' | 'compact'; name: string }
export type RowsResponse =
  | { id: number; ok: true; result: LoadedRows | number }
  | { id: number; ok: false; error: string }

// Requests are independent (each opens the database for itself), so they are not queued.
self.onmessage = async (e: MessageEvent<RowsRequest>) => {
  const { id, op, name } = e.data
  let response: RowsResponse
  const transfer: ArrayBuffer[] = []
  try {
    const result = await runRowsOp(op, name)
    response = { id, ok: true, result }
    // Moved, not copied: the page receives megabytes without a structured clone.
    if (typeof result !== 'number' && result.update)
      transfer.push(result.update.buffer as ArrayBuffer)
  } catch (error) {
    response = { id, ok: false, error: error instanceof Error ? error.message : String(error) }
  }
  self.postMessage(response, { transfer })
}
