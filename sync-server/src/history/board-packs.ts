import { promisify } from 'node:util'
import { brotliCompress, brotliDecompress, constants } from 'node:zlib'

/*
 * The stored board reads (board-projection.ts) compressed (issue 18: uncompressed, whole
 * boards and patches added ~1.3 × the compacted document plus raw log on top of history's
 * 1.57 ×, over the ≤ 2 × budget). Brotli on the JSON; both directions run on libuv's thread
 * pool (zlib's async API), never on the event loop.
 */

const compress = promisify(brotliCompress)
const decompress = promisify(brotliDecompress)

/**
 * Patches of this many log rows are stored as one compressed piece (`history_board_packs`
 * kind 'patches'); fewer wait as plain rows (`history_board`) until a later batch fills it.
 * A `?at=` decompresses whole pieces: at most one piece more than the patches it needs.
 */
export const DEFAULT_PACK_ROWS = 256

/**
 * Quality 5: on the benchmark's boards about as small as the maximum quality at a small
 * fraction of its time (docs/benchmarks.md "Compressed board reads").
 */
const QUALITY = 5

export async function packJson(json: string): Promise<Buffer> {
  const bytes = Buffer.from(json)
  return compress(bytes, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  })
}

export async function unpackJson(body: Uint8Array): Promise<string> {
  return (await decompress(body)).toString()
}

/** One piece of patches: `bodies` are the patches' JSON, of the rows `seqs`, in seq order. */
export function patchesJson(seqs: readonly number[], bodies: readonly string[]): string {
  return `{"seqs":${JSON.stringify(seqs)},"patches":[${bodies.join(',')}]}`
}
