import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'

/** Bytes hashed between two yields to the page when hashing without WebCrypto. */
export const FALLBACK_CHUNK_BYTES = 1024 * 1024

/**
 * Lower-case hex SHA-256 of a file. WebCrypto (`crypto.subtle`) exists only in secure
 * contexts (https, localhost); a server reached over plain http on a LAN has none, so
 * there the file is hashed with @noble/hashes instead (`sha256Chunked`).
 */
export async function sha256Of(
  blob: Blob,
  subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle,
): Promise<string> {
  if (!subtle) return sha256Chunked(blob)
  const digest = await subtle.digest('SHA-256', await blob.arrayBuffer())
  return bytesToHex(new Uint8Array(digest))
}

/**
 * SHA-256 in pure JS, read and hashed `chunkBytes` at a time: never the whole file in
 * memory twice, and each chunk's read is an await, so the page stays responsive while a
 * 25 MB file is hashed (a few ms of work per MiB between yields).
 */
export async function sha256Chunked(
  blob: Blob,
  chunkBytes = FALLBACK_CHUNK_BYTES,
): Promise<string> {
  const hash = sha256.create()
  for (let at = 0; at < blob.size; at += chunkBytes) {
    hash.update(new Uint8Array(await blob.slice(at, at + chunkBytes).arrayBuffer()))
  }
  return bytesToHex(hash.digest())
}
