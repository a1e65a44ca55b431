import { createHash, randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'

/** The body went past the byte limit; nothing was kept. */
export class BlobTooLarge extends Error {}

/** A file received into a temporary file, hashed and counted, not yet in the store. */
export interface ReceivedBlob {
  sha256: string
  size: number
  /** Sniffed from the first bytes: png, jpeg, gif or webp, else null (never the client's word). */
  imageType: string | null
  tempPath: string
}

/** The magic numbers of the image types served inline (anything else is a download). */
export function sniffImageType(head: Uint8Array): string | null {
  const b = head
  const at = (i: number, ...bytes: number[]) => bytes.every((v, k) => b[i + k] === v)
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png'
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg'
  if (at(0, 0x47, 0x49, 0x46, 0x38) && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) {
    return 'image/gif'
  }
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp'
  return null
}

/**
 * Files stored once per SHA-256 under `root/<aa>/<bb>/<sha256>`. A file enters the store
 * only whole: bytes stream into `root/tmp/` while being hashed and counted (never held in
 * memory), are fsynced, then renamed into place, so a dropped connection or a crash
 * leaves no partial file where a reader could find it.
 */
export class BlobStore {
  readonly #locks = new Map<string, Promise<unknown>>()

  constructor(readonly root: string) {}

  pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256)
  }

  /**
   * The thumbnail of an image file, beside it: `root/<aa>/<bb>/<sha256>.thumb.webp`
   * (derived from the file, so it is kept, backed up and deleted with it).
   */
  thumbnailPathOf(sha256: string): string {
    return `${this.pathOf(sha256)}.thumb.webp`
  }

  async hasThumbnail(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.thumbnailPathOf(sha256))).isFile()
    } catch {
      return false
    }
  }

  async thumbnailSize(sha256: string): Promise<number> {
    return (await stat(this.thumbnailPathOf(sha256))).size
  }

  get tempDir(): string {
    return join(this.root, 'tmp')
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile()
    } catch {
      return false
    }
  }

  /**
   * Streams `body` into a temporary file. Throws BlobTooLarge past `maxBytes` (and removes
   * what it wrote); any other failure (the client went away) also removes it and rethrows.
   */
  async receive(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<ReceivedBlob> {
    await mkdir(this.tempDir, { recursive: true })
    const tempPath = join(this.tempDir, `${randomUUID()}.part`)
    const hash = createHash('sha256')
    let size = 0
    const head: number[] = []
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length
        if (size > maxBytes) return done(new BlobTooLarge())
        if (head.length < 16) head.push(...chunk.subarray(0, 16 - head.length))
        hash.update(chunk)
        done(null, chunk)
      },
    })
    try {
      const source = body ? Readable.fromWeb(body as never) : Readable.from([])
      await pipeline(source, meter, createWriteStream(tempPath, { flags: 'wx' }))
      const fh = await open(tempPath, 'r')
      try {
        await fh.sync()
      } finally {
        await fh.close()
      }
    } catch (err) {
      await rm(tempPath, { force: true })
      throw err
    }
    return {
      sha256: hash.digest('hex'),
      size,
      imageType: sniffImageType(Uint8Array.from(head)),
      tempPath,
    }
  }

  /** Moves a received file into place (or drops it when the store already holds those bytes). */
  async commit(received: ReceivedBlob): Promise<void> {
    const target = this.pathOf(received.sha256)
    if (await this.has(received.sha256)) {
      await this.discard(received)
      return
    }
    await mkdir(dirname(target), { recursive: true })
    await rename(received.tempPath, target)
  }

  async discard(received: ReceivedBlob): Promise<void> {
    await rm(received.tempPath, { force: true })
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.thumbnailPathOf(sha256), { force: true })
    await rm(this.pathOf(sha256), { force: true })
  }

  /** The stored bytes as a web stream (caller checked `has`). */
  read(sha256: string): ReadableStream<Uint8Array> {
    return Readable.toWeb(createReadStream(this.pathOf(sha256))) as ReadableStream<Uint8Array>
  }

  /** The thumbnail's bytes as a web stream (caller checked `hasThumbnail`). */
  readThumbnail(sha256: string): ReadableStream<Uint8Array> {
    return Readable.toWeb(
      createReadStream(this.thumbnailPathOf(sha256)),
    ) as ReadableStream<Uint8Array>
  }

  /** Removes temporary files a crash left behind: call at start, before any upload runs. */
  async clearTemp(): Promise<void> {
    await rm(this.tempDir, { recursive: true, force: true })
  }

  /**
   * Runs `fn` while no other `withLock` of the same hash runs: an upload's "store and
   * record" and the collector's "forget and delete" of one file never interleave.
   */
  async withLock<T>(sha256: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#locks.get(sha256) ?? Promise.resolve()
    const run = prev.then(fn, fn)
    const tail = run.catch(() => undefined)
    this.#locks.set(sha256, tail)
    try {
      return await run
    } finally {
      if (this.#locks.get(sha256) === tail) this.#locks.delete(sha256)
    }
  }
}
