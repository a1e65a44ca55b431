import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import { addAttachment, createTask, openBoard, removeAttachment } from '@taskflow/board'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createLogger } from '../logger.js'
import { createWorld, type World } from '../test/world.js'
import { AttachmentCollector, attachmentsManifest } from './attachment-collector.js'
import { BlobStore } from './blob-store.js'
import { renderThumbnail } from './thumbnails.js'

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex')
const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3,
])
const HTML = '<!doctype html><script>parent.document.title = "pwned"</script>'
const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'

async function world(env: Record<string, string> = {}) {
  const files = mkdtempSync(join(tmpdir(), 'tf-attach-'))
  const w = await createWorld({ env: { TASKFLOW_FILES: files, ...env } })
  // The world's own fixture file: each test here starts from an empty store.
  await w.api.db.deleteFrom('project_attachments').execute()
  await w.api.db.deleteFrom('attachment_blobs').execute()
  rmSync(files, { recursive: true })
  mkdirSync(files)
  return { w, files }
}

/** Every file under `dir`, relative, temp folder included: what an upload left on disk. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort()
}

async function upload(
  w: World,
  opts: {
    token?: string
    project?: string
    body: Uint8Array | string | ReadableStream<Uint8Array>
    name?: string
    type?: string
    declare?: { sha256?: string; size?: number }
  },
) {
  const q = new URLSearchParams({ name: opts.name ?? 'file.bin' })
  if (opts.declare?.sha256) q.set('sha256', opts.declare.sha256)
  if (opts.declare?.size !== undefined) q.set('size', String(opts.declare.size))
  const headers: Record<string, string> = {
    'content-type': opts.type ?? 'application/octet-stream',
  }
  if (opts.token) headers.authorization = `Bearer ${opts.token}`
  const res = await w.api.app.request(
    `/api/v1/projects/${opts.project ?? w.projectId}/attachments?${q}`,
    {
      method: 'POST',
      headers,
      body: opts.body as RequestInit['body'],
      ...(opts.body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit,
  )
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null }
}

async function download(w: World, token: string | undefined, hash: string, project = w.projectId) {
  const res = await w.api.app.request(`/api/v1/projects/${project}/attachments/${hash}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  })
  return {
    status: res.status,
    headers: res.headers,
    bytes: new Uint8Array(await res.arrayBuffer()),
  }
}

/** A body that sends `first` and then fails, as a connection dropped mid-upload does. */
function droppedAfter(first: Uint8Array): ReadableStream<Uint8Array> {
  let sent = false
  return new ReadableStream({
    pull(ctrl) {
      if (!sent) {
        sent = true
        ctrl.enqueue(first)
      } else ctrl.error(new Error('connection reset'))
    },
  })
}

describe('attachments: who may upload and download', () => {
  it('members upload; viewers download; others are refused; a file is read only through a project it was uploaded to', async () => {
    const { w } = await world()
    const bytes = new TextEncoder().encode('quarterly numbers')
    const up = await upload(w, {
      token: w.token.member,
      body: bytes,
      name: 'numbers.csv',
      type: 'text/csv',
    })
    expect(up.status).toBe(201)
    expect(up.body).toEqual({
      sha256: sha(bytes),
      name: 'numbers.csv',
      size: bytes.length,
      type: 'text/csv',
    })

    expect((await upload(w, { token: w.token.viewer, body: bytes })).status).toBe(403)
    expect((await upload(w, { token: w.token.nonMember, body: bytes })).status).toBe(403)
    expect((await upload(w, { body: bytes })).status).toBe(401)

    const viewer = await download(w, w.token.viewer, sha(bytes))
    expect(viewer.status).toBe(200)
    expect(new TextDecoder().decode(viewer.bytes)).toBe('quarterly numbers')
    expect((await download(w, w.token.nonMember, sha(bytes))).status).toBe(403)
    expect((await download(w, undefined, sha(bytes))).status).toBe(401)
    expect((await download(w, w.token.viewer, sha('never uploaded'))).status).toBe(404)

    // Project B of the same owner: the hash is known, but B never received the file.
    const b = await w.api.call('POST', '/api/v1/projects', {
      token: w.token.member,
      body: { name: 'B' },
    })
    expect((await download(w, w.token.member, sha(bytes), b.body.id)).status).toBe(404)
    const status = await w.api.call(
      'GET',
      `/api/v1/projects/${b.body.id}/attachments/${sha(bytes)}/status`,
      {
        token: w.token.member,
      },
    )
    expect(status.body).toEqual({ sha256: sha(bytes), stored: false })
    expect(
      (await upload(w, { token: w.token.member, project: b.body.id, body: bytes })).status,
    ).toBe(201)
    expect((await download(w, w.token.member, sha(bytes), b.body.id)).status).toBe(200)
  })

  it('bad input is a clear 400 and stores nothing', async () => {
    const { w, files } = await world()
    const bad = await w.api.call('POST', `/api/v1/projects/${w.projectId}/attachments?name=a%2Fb`, {
      token: w.token.member,
      body: 'x',
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('validation_failed')
    const noName = await w.api.call('POST', `/api/v1/projects/${w.projectId}/attachments`, {
      token: w.token.member,
      body: 'x',
    })
    expect(noName.status).toBe(400)
    const badHash = await w.api.call('GET', `/api/v1/projects/${w.projectId}/attachments/ABC`, {
      token: w.token.member,
    })
    expect(badHash.status).toBe(400)
    expect(filesUnder(files)).toEqual([])
  })
})

describe('attachments: limits and quota', () => {
  it('a file over TASKFLOW_MAX_UPLOAD_MB is 413 payload_too_large, announced or streamed, and leaves nothing', async () => {
    const { w, files } = await world({ TASKFLOW_MAX_UPLOAD_MB: '0.01' })
    const big = new Uint8Array(20_000).fill(7)
    const announced = await upload(w, { token: w.token.member, body: big })
    expect(announced.status).toBe(413)
    expect(announced.body.error.code).toBe('payload_too_large')
    expect(announced.body.error.message).toContain('0.01 MB')
    // Streamed without a length: refused once the limit is crossed.
    const streamed = await upload(w, {
      token: w.token.member,
      body: new ReadableStream({
        start(ctrl) {
          for (let i = 0; i < 5; i++) ctrl.enqueue(new Uint8Array(5000))
          ctrl.close()
        },
      }),
    })
    expect(streamed.status).toBe(413)
    expect(filesUnder(files).filter((f) => !f.startsWith('tmp'))).toEqual([])
    expect(filesUnder(files)).toEqual([])
    // Exactly at the limit is fine (10 KiB = 10485.76 bytes → 10486).
    expect((await upload(w, { token: w.token.member, body: new Uint8Array(10_485) })).status).toBe(
      201,
    )
  })

  it('the project quota is answered 413 quota_exceeded; re-uploading a held file costs nothing', async () => {
    const { w } = await world({ TASKFLOW_PROJECT_QUOTA_MB: '0.02' }) // 20,971 bytes
    const file = (n: number) => new Uint8Array(8000).fill(n)
    expect((await upload(w, { token: w.token.member, body: file(1) })).status).toBe(201)
    expect((await upload(w, { token: w.token.member, body: file(2) })).status).toBe(201)
    const third = await upload(w, { token: w.token.member, body: file(3) })
    expect(third.status).toBe(413)
    expect(third.body.error.code).toBe('quota_exceeded')
    expect(third.body.error.message).toMatch(/quota/)
    expect((await upload(w, { token: w.token.member, body: file(1) })).status).toBe(201)
    expect(
      (
        await upload(w, {
          token: w.token.member,
          body: file(2),
          declare: { sha256: sha(file(2)), size: 8000 },
        })
      ).status,
    ).toBe(201)
    const rows = await w.api.db.selectFrom('project_attachments').selectAll().execute()
    expect(rows).toHaveLength(2)
  })
})

describe('attachments: never active content', () => {
  it('.html and .svg are served as inert downloads; sniffed images inline; headers on every file', async () => {
    const { w } = await world()
    const html = await upload(w, {
      token: w.token.member,
      body: HTML,
      name: 'page.html',
      type: 'text/html',
    })
    const svg = await upload(w, {
      token: w.token.member,
      body: SVG,
      name: 'logo.svg',
      type: 'image/svg+xml',
    })
    // Claims to be a PNG, is HTML: the claim is not trusted.
    const fake = await upload(w, {
      token: w.token.member,
      body: `${HTML} `,
      name: 'x.png',
      type: 'image/png',
    })
    const png = await upload(w, {
      token: w.token.member,
      body: PNG,
      name: 'dot.png',
      type: 'text/html',
    })
    expect([html.body.type, svg.body.type, fake.body.type]).toEqual([
      'application/octet-stream',
      'application/octet-stream',
      'application/octet-stream',
    ])
    // A PNG signature and nothing decodable: stored and served as an image, no thumbnail.
    expect(png.status).toBe(201)
    expect(png.body.type).toBe('image/png')
    expect(png.body.thumbnail).toBeUndefined()
    expect(html.body.thumbnail).toBeUndefined()

    for (const [hash, name] of [
      [sha(HTML), 'page.html'],
      [sha(SVG), 'logo.svg'],
      [sha(`${HTML} `), 'x.png'],
    ] as const) {
      const res = await download(w, w.token.viewer, hash)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/octet-stream')
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      )
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'")
    }
    const img = await download(w, w.token.viewer, sha(PNG))
    expect(img.headers.get('content-type')).toBe('image/png')
    expect(img.headers.get('content-disposition')).toMatch(/^inline; filename="dot.png"/)
    expect(img.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'")
    expect(img.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('a file name cannot break the Content-Disposition header', async () => {
    const { w } = await world()
    await upload(w, { token: w.token.member, body: 'q', name: 'a"; filename=evil.html; x="é.txt' })
    const res = await download(w, w.token.member, sha('q'))
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="a_; filename=evil.html; x=__.txt"; filename*=UTF-8''${encodeURIComponent('a"; filename=evil.html; x="é.txt')}`,
    )
  })
})

describe('attachments: interrupted and repeated uploads', () => {
  it('a connection dropped mid-upload leaves no partial file; the retry stores it once', async () => {
    const { w, files } = await world()
    const bytes = new Uint8Array(50_000).map((_, i) => i % 251)
    const declare = { sha256: sha(bytes), size: bytes.length }
    const cut = await upload(w, {
      token: w.token.member,
      body: droppedAfter(bytes.subarray(0, 20_000)),
      declare,
    })
    expect(cut.status).toBe(400)
    expect(filesUnder(files)).toEqual([])
    const status = `/api/v1/projects/${w.projectId}/attachments/${sha(bytes)}/status`
    expect((await w.api.call('GET', status, { token: w.token.member })).body.stored).toBe(false)

    // A body that ends early without an error (a proxy cut it): the declared hash catches it.
    const short = await upload(w, {
      token: w.token.member,
      body: bytes.subarray(0, 20_000),
      declare,
    })
    expect(short.status).toBe(400)
    expect(short.body.error.code).toBe('hash_mismatch')
    expect(filesUnder(files)).toEqual([])

    const full = await upload(w, { token: w.token.member, body: bytes, declare, name: 'data.bin' })
    expect(full.status).toBe(201)
    const again = await upload(w, { token: w.token.member, body: bytes, declare, name: 'data.bin' })
    expect(again).toMatchObject({ status: 201, body: full.body })
    expect((await w.api.call('GET', status, { token: w.token.member })).body).toEqual({
      sha256: sha(bytes),
      stored: true,
      size: bytes.length,
    })
    const h = sha(bytes)
    expect(filesUnder(files)).toEqual([join(h.slice(0, 2), h.slice(2, 4), h)])
    const got = await download(w, w.token.member, h)
    expect(sha(got.bytes)).toBe(h)
  })
})

/** Appends a change of the project's board to its stored log, as a client's update would be. */
async function editBoard(w: World, change: (doc: Y.Doc) => void) {
  const doc = new Y.Doc()
  const rows = await w.api.db
    .selectFrom('doc_updates')
    .select(['seq', 'update'])
    .where('doc_name', '=', w.projectId)
    .orderBy('seq')
    .execute()
  for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.update))
  const before = Y.encodeStateVector(doc)
  change(doc)
  await w.api.db
    .insertInto('doc_updates')
    .values({
      doc_name: w.projectId,
      seq: rows.at(-1)!.seq + 1,
      update: Y.encodeStateAsUpdate(doc, before),
      user_id: w.userId.member,
      created_at: w.api.now(),
    })
    .execute()
}

describe('attachments: garbage collection', () => {
  it('deletes files no document refers to once the retention has passed, and only those', async () => {
    const { w, files } = await world({ TASKFLOW_ATTACHMENT_RETENTION_DAYS: '30' })
    const kept = new TextEncoder().encode('referenced')
    const dropped = new TextEncoder().encode('never referenced')
    await upload(w, { token: w.token.member, body: kept, name: 'kept.txt' })
    await upload(w, { token: w.token.member, body: dropped, name: 'dropped.txt' })
    let key = ''
    await editBoard(w, (doc) => {
      openBoard(doc)
      const col = [...doc.getMap('columns').keys()][0]!
      const task = createTask(doc, { columnId: col, title: 'With file' })
      if (!task.ok) throw new Error(task.error.message)
      const added = addAttachment(
        doc,
        task.value.id,
        null,
        { sha256: sha(kept), name: 'kept.txt', size: kept.length, type: 'text/plain' },
        { userId: w.userId.member },
      )
      if (!added.ok) throw new Error(added.error.message)
      key = added.value.key
    })
    // What an export lists: the reference, and that the server holds the file.
    expect(
      (await attachmentsManifest(w.api.db, w.projectId)).map((m) => [m.sha256, m.name, m.stored]),
    ).toEqual([[sha(kept), 'kept.txt', true]])
    const collector = new AttachmentCollector({
      db: w.api.db,
      store: new BlobStore(files),
      now: w.api.now,
      logger: createLogger('silent'),
      retentionDays: 30,
    })
    const DAY = 86_400_000
    expect(await collector.collect()).toEqual([])
    w.api.advance(29 * DAY)
    expect(await collector.collect()).toEqual([])
    expect((await download(w, w.token.member, sha(dropped))).status).toBe(200)
    w.api.advance(2 * DAY)
    expect(await collector.collect()).toEqual([sha(dropped)])
    expect((await download(w, w.token.member, sha(dropped))).status).toBe(404)
    expect((await download(w, w.token.member, sha(kept))).status).toBe(200)
    const h = sha(kept)
    expect(filesUnder(files)).toEqual([join(h.slice(0, 2), h.slice(2, 4), h)])

    // The reference goes: the file is kept for the retention from then on, then deleted.
    await editBoard(w, (doc) => {
      if (!removeAttachment(doc, key).ok) throw new Error('remove failed')
    })
    w.api.advance(DAY)
    expect(await collector.collect()).toEqual([])
    w.api.advance(29 * DAY)
    expect(await collector.collect()).toEqual([])
    w.api.advance(DAY)
    expect(await collector.collect()).toEqual([h])
    expect(filesUnder(files)).toEqual([])
  })
})

/** A real image made with sharp: a `w`×`h` gradient-ish picture in `format`. */
async function image(
  w: number,
  h: number,
  format: 'png' | 'jpeg' | 'gif' | 'webp',
  orientation?: number,
): Promise<Uint8Array> {
  let img = sharp({ create: { width: w, height: h, channels: 3, background: '#3a7' } })[format]()
  if (orientation) img = img.withMetadata({ orientation })
  return new Uint8Array(await img.toBuffer())
}

/** A valid PNG header (IHDR with its CRC) claiming `w`×`h` pixels, with no image data after it. */
function pngBomb(w: number, h: number): Uint8Array {
  const ihdr = Buffer.alloc(17)
  ihdr.write('IHDR', 0, 'latin1')
  ihdr.writeUInt32BE(w, 4)
  ihdr.writeUInt32BE(h, 8)
  ihdr.set([8, 2, 0, 0, 0], 12) // 8-bit RGB, no interlace
  const len = Buffer.alloc(4)
  len.writeUInt32BE(13)
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(ihdr))
  // An IDAT of a few zero-filled compressed rows: what a real bomb would continue with.
  const data = deflateSync(Buffer.alloc(64 * 1024))
  const idat = Buffer.concat([Buffer.from('IDAT', 'latin1'), data])
  const idatLen = Buffer.alloc(4)
  idatLen.writeUInt32BE(data.length)
  const idatCrc = Buffer.alloc(4)
  idatCrc.writeUInt32BE(crc32(idat))
  return new Uint8Array(
    Buffer.concat([Buffer.from(PNG.subarray(0, 8)), len, ihdr, crc, idatLen, idat, idatCrc]),
  )
}

async function thumbnail(w: World, token: string | undefined, hash: string) {
  const res = await w.api.app.request(
    `/api/v1/projects/${w.projectId}/attachments/${hash}/thumbnail`,
    { headers: token ? { authorization: `Bearer ${token}` } : {} },
  )
  const bytes = new Uint8Array(await res.arrayBuffer())
  return { status: res.status, headers: res.headers, bytes }
}

describe('attachments: thumbnails', () => {
  it('png, jpeg, gif and webp uploads get a bounded WebP thumbnail, served inert to viewers', async () => {
    const { w } = await world()
    for (const format of ['png', 'jpeg', 'gif', 'webp'] as const) {
      const bytes = await image(2000, 1000, format)
      const up = await upload(w, { token: w.token.member, body: bytes, name: `photo.${format}` })
      expect(up.status).toBe(201)
      const path = `/api/v1/projects/${w.projectId}/attachments/${sha(bytes)}/thumbnail`
      expect(up.body.thumbnail).toBe(path)

      const t = await thumbnail(w, w.token.viewer, sha(bytes))
      expect(t.status).toBe(200)
      expect(t.headers.get('content-type')).toBe('image/webp')
      expect(t.headers.get('content-length')).toBe(String(t.bytes.length))
      expect(t.headers.get('content-disposition')).toMatch(
        /^inline; filename="photo.thumbnail.webp"/,
      )
      expect(t.headers.get('x-content-type-options')).toBe('nosniff')
      expect(t.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'")
      expect(t.headers.get('cache-control')).toBe('private, max-age=31536000, immutable')
      const meta = await sharp(t.bytes).metadata()
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 480, 240])
      // Far smaller than the image it stands for.
      expect(t.bytes.length).toBeLessThan(bytes.length)
    }
    const small = await image(100, 50, 'png')
    await upload(w, { token: w.token.member, body: small, name: 'small.png' })
    // Never enlarged.
    const meta = await sharp((await thumbnail(w, w.token.member, sha(small))).bytes).metadata()
    expect([meta.width, meta.height]).toEqual([100, 50])
  })

  it('applies the EXIF orientation and strips metadata', async () => {
    const { w } = await world()
    // Stored 600×300, "rotate 90° to show": shown 300×600.
    const bytes = await image(600, 300, 'jpeg', 6)
    expect((await sharp(bytes).metadata()).exif).toBeDefined()
    await upload(w, { token: w.token.member, body: bytes, name: 'phone.jpg' })
    const t = await thumbnail(w, w.token.member, sha(bytes))
    const meta = await sharp(t.bytes).metadata()
    expect([meta.width, meta.height]).toEqual([240, 480])
    expect(meta.exif).toBeUndefined()
    expect(meta.orientation).toBeUndefined()
  })

  it('same access as the file: non-members, signed-out callers and other projects are refused', async () => {
    const { w } = await world()
    const bytes = await image(800, 800, 'png')
    await upload(w, { token: w.token.member, body: bytes, name: 'a.png' })
    expect((await thumbnail(w, w.token.nonMember, sha(bytes))).status).toBe(403)
    expect((await thumbnail(w, undefined, sha(bytes))).status).toBe(401)
    // A file the project does not hold, and one that is not an image: 404.
    expect((await thumbnail(w, w.token.member, sha('nope'))).status).toBe(404)
    const text = new TextEncoder().encode('plain')
    await upload(w, { token: w.token.member, body: text, name: 'a.txt' })
    expect((await thumbnail(w, w.token.member, sha(text))).status).toBe(404)
  })

  it('a corrupt image and a decompression bomb are stored without a thumbnail', async () => {
    const { w, files } = await world()
    const good = await image(1000, 1000, 'jpeg')
    const corrupt = good.slice(0, 600) // a JPEG cut off after its header
    const bomb = pngBomb(12_000, 12_000) // 144 megapixels claimed in a few kilobytes
    for (const [bytes, name] of [
      [corrupt, 'cut.jpg'],
      [bomb, 'bomb.png'],
    ] as const) {
      const up = await upload(w, { token: w.token.member, body: bytes, name })
      expect(up.status).toBe(201)
      expect(up.body.thumbnail).toBeUndefined()
      expect((await thumbnail(w, w.token.viewer, sha(bytes))).status).toBe(404)
      // The file itself is there, as uploaded.
      const d = await download(w, w.token.viewer, sha(bytes))
      expect([d.status, d.bytes.length]).toEqual([200, bytes.length])
    }
    // Refused from the header: the limit, not memory, stopped it.
    await expect(
      renderThumbnail(new BlobStore(files).pathOf(sha(bomb)), join(files, 'x.webp')),
    ).rejects.toThrow(/pixel limit/)
    // No thumbnail or temp file left behind.
    expect(
      filesUnder(files).filter((f) => !/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(f)),
    ).toEqual([])
  })

  it('a thumbnail is collected with its file', async () => {
    const { w, files } = await world({ TASKFLOW_ATTACHMENT_RETENTION_DAYS: '1' })
    const bytes = await image(900, 600, 'png')
    await upload(w, { token: w.token.member, body: bytes, name: 'a.png' })
    const h = sha(bytes)
    const at = join(h.slice(0, 2), h.slice(2, 4), h)
    expect(filesUnder(files)).toEqual([at, `${at}.thumb.webp`])
    const collector = new AttachmentCollector({
      db: w.api.db,
      store: new BlobStore(files),
      now: w.api.now,
      logger: createLogger('silent'),
      retentionDays: 1,
    })
    await collector.collect()
    w.api.advance(2 * 86_400_000)
    expect(await collector.collect()).toEqual([h])
    expect(filesUnder(files)).toEqual([])
  })
})
