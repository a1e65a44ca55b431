import { randomUUID } from 'node:crypto'
import { mkdir, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import sharp from 'sharp'
import type { BlobStore } from './blob-store.js'

/** Longest side of a thumbnail, in pixels (cards and the task panel show it at most this big). */
export const THUMBNAIL_MAX_PX = 480

/**
 * Largest image (width × height) the server decodes for a thumbnail: 64 megapixels (an
 * 8000 × 8000 photo). sharp checks it from the header before decoding, so a small file
 * claiming huge dimensions (a decompression bomb) is refused without allocating its pixels;
 * such an image is stored and downloadable, it just gets no thumbnail.
 */
export const THUMBNAIL_MAX_INPUT_PIXELS = 64_000_000

// One libvips worker thread per image and no operation cache: a 2-core box serves sync
// traffic too, and a cached decoded 25 MB photo would sit in memory for nothing.
sharp.concurrency(1)
sharp.cache(false)

/**
 * Writes the thumbnail of the image at `source` to `target`: EXIF orientation applied, at
 * most THUMBNAIL_MAX_PX on its longest side (never enlarged), first frame of an animation,
 * WebP, metadata (EXIF, GPS, ICC) dropped. Throws when the image is corrupt or too large.
 */
export async function renderThumbnail(source: string, target: string): Promise<void> {
  await sharp(source, {
    limitInputPixels: THUMBNAIL_MAX_INPUT_PIXELS,
    // Truncated or damaged data fails instead of yielding a half-grey thumbnail.
    failOn: 'error',
    sequentialRead: true,
  })
    .rotate()
    .resize(THUMBNAIL_MAX_PX, THUMBNAIL_MAX_PX, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 78 })
    .toFile(target)
}

/**
 * Makes thumbnails of stored images, one at a time (decoding is the costliest thing the
 * server does; a burst of uploads queues instead of running several decodes at once).
 */
export class Thumbnailer {
  #queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly store: BlobStore,
    private readonly onError: (sha256: string, err: unknown) => void = () => {},
  ) {}

  /**
   * Ensures the stored image `sha256` has a thumbnail; resolves true when it has one. A
   * failure (corrupt image, decompression bomb) resolves false and leaves no file.
   */
  ensure(sha256: string): Promise<boolean> {
    const run = this.#queue.then(() => this.#make(sha256))
    this.#queue = run.catch(() => undefined)
    return run
  }

  async #make(sha256: string): Promise<boolean> {
    if (await this.store.hasThumbnail(sha256)) return true
    const target = this.store.thumbnailPathOf(sha256)
    await mkdir(this.store.tempDir, { recursive: true })
    const temp = join(this.store.tempDir, `${randomUUID()}.thumb`)
    try {
      await renderThumbnail(this.store.pathOf(sha256), temp)
      await mkdir(dirname(target), { recursive: true })
      // Whole or not at all, as for the files themselves.
      await rename(temp, target)
      return true
    } catch (err) {
      this.onError(sha256, err)
      return false
    } finally {
      await rm(temp, { force: true })
    }
  }
}
