/** dataDir persistence: restart survival, crash leftovers, streaming, concurrency on disk. */
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { completeXml, errorCode, md5, setup, tags } from './helpers.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nos-emu-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('dataDir', () => {
  let pendingId = ''
  const big = randomBytes(20 * 1024)

  it('first run: buckets, objects, multipart objects, CORS and a pending upload', async () => {
    const { emu, c } = await setup({ dataDir: dir })
    try {
      expect((await c.send({ method: 'PUT', bucket: 'made-later', headers: { 'x-nos-acl': 'public-read' } })).status).toBe(200)
      const cors = '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ExposeHeader>ETag</ExposeHeader></CORSRule></CORSConfiguration>'
      expect((await c.send({ method: 'PUT', bucket: 'made-later', query: { cors: null }, body: cors })).status).toBe(200)
      expect((await c.put('bkt', 'dir/a b.txt', 'persisted', { 'Content-Type': 'text/plain', 'x-nos-meta-m': '1' })).status).toBe(200)
      expect((await c.put('made-later', 'pub.txt', 'public')).status).toBe(200)

      const init = await c.send({ method: 'POST', bucket: 'bkt', key: 'mp', query: { uploads: null }, body: '' })
      const id = tags(init.text, 'UploadId')[0]!
      await c.send({ method: 'PUT', bucket: 'bkt', key: 'mp', query: { partNumber: '1', uploadId: id }, body: big })
      await c.send({ method: 'PUT', bucket: 'bkt', key: 'mp', query: { partNumber: '2', uploadId: id }, body: 'tail' })
      expect((await c.send({ method: 'POST', bucket: 'bkt', key: 'mp', query: { uploadId: id }, body: completeXml([{ n: 1, etag: md5(big) }, { n: 2, etag: md5('tail') }]) })).status).toBe(200)

      const pending = await c.send({ method: 'POST', bucket: 'bkt', key: 'later', query: { uploads: null }, body: '', headers: { 'x-nos-meta-p': 'q' } })
      pendingId = tags(pending.text, 'UploadId')[0]!
      await c.send({ method: 'PUT', bucket: 'bkt', key: 'later', query: { partNumber: '1', uploadId: pendingId }, body: big })

      // A failed upload leaves nothing behind.
      expect(errorCode(await c.put('bkt', 'bad', 'x', { 'Content-MD5': md5('y') }))).toBe('BadDigest')
      expect(await readdir(join(dir, 'tmp'))).toEqual([])
    } finally {
      await emu.close()
    }
  })

  it('a crash leftover (half-written temp file, unreferenced blob) is discarded at start', async () => {
    await writeFile(join(dir, 'tmp', 'deadbeefdeadbeefdeadbeef.part'), 'half an object')
    await writeFile(join(dir, 'blobs', 'deadbeefdeadbeefdeadbeef'), 'orphan')
    const { emu } = await setup({ dataDir: dir })
    try {
      expect(await readdir(join(dir, 'tmp'))).toEqual([])
      expect(await readdir(join(dir, 'blobs'))).not.toContain('deadbeefdeadbeefdeadbeef')
    } finally {
      await emu.close()
    }
  })

  it('second run with the same dataDir sees everything', async () => {
    const { emu, c } = await setup({ dataDir: dir })
    try {
      const g = await c.get('bkt', 'dir/a b.txt')
      expect(g.text).toBe('persisted')
      expect(g.headers['content-type']).toBe('text/plain')
      expect(g.headers['x-nos-meta-m']).toBe('1')
      const mp = await c.get('bkt', 'mp')
      expect(md5(mp.body)).toBe(md5(Buffer.concat([big, Buffer.from('tail')])))
      expect(mp.headers['etag']).toBe(`"${md5(`${md5(big)}-${md5('tail')}-`)}"`)
      expect((await c.get('bkt', 'mp', { Range: `bytes=${big.length - 1}-${big.length + 1}` })).body.equals(Buffer.concat([big.subarray(-1), Buffer.from('ta')]))).toBe(true)
      expect(tags((await c.send({})).text, 'Name')).toEqual(['bkt', 'made-later'])
      expect((await c.send({ bucket: 'made-later', key: 'pub.txt', auth: false })).text).toBe('public')
      expect(tags((await c.send({ bucket: 'made-later', query: { cors: null } })).text, 'ExposeHeader')).toEqual(['ETag'])
      const uploads = await c.send({ bucket: 'bkt', query: { uploads: null } })
      expect(tags(uploads.text, 'UploadId')).toEqual([pendingId])
      const parts = await c.send({ bucket: 'bkt', key: 'later', query: { uploadId: pendingId } })
      expect(tags(parts.text, 'ETag')).toEqual([md5(big)])
      await c.send({ method: 'PUT', bucket: 'bkt', key: 'later', query: { partNumber: '2', uploadId: pendingId }, body: 'end' })
      const done = await c.send({ method: 'POST', bucket: 'bkt', key: 'later', query: { uploadId: pendingId }, body: completeXml([{ n: 1, etag: md5(big) }, { n: 2, etag: md5('end') }]) })
      expect(done.status).toBe(200)
      const later = await c.get('bkt', 'later')
      expect(later.headers['x-nos-meta-p']).toBe('q')
      expect(later.body.length).toBe(big.length + 3)
      // Deletes persist too.
      expect((await c.send({ method: 'DELETE', bucket: 'bkt', key: 'dir/a b.txt' })).status).toBe(200)
    } finally {
      await emu.close()
    }
    const { emu: third, c: c3 } = await setup({ dataDir: dir })
    try {
      expect(errorCode(await c3.get('bkt', 'dir/a b.txt'))).toBe('NoSuchKey')
      expect((await c3.get('bkt', 'later')).status).toBe(200)
      expect(tags((await c3.send({ bucket: 'bkt', query: { uploads: null } })).text, 'UploadId')).toEqual([])
    } finally {
      await third.close()
    }
  })

  it('50 concurrent PUT/GET of distinct keys on disk without corruption; overwrite while reading is safe', async () => {
    const { emu, c } = await setup({ dataDir: dir })
    try {
      const bodies = Array.from({ length: 50 }, (_, i) => randomBytes(8 * 1024 + i * 4099))
      await Promise.all(bodies.map((b, i) => c.put('bkt', `conc/${i}`, b)))
      const gets = await Promise.all(bodies.map((_, i) => c.get('bkt', `conc/${i}`)))
      gets.forEach((r, i) => expect(md5(r.body), `conc/${i}`).toBe(md5(bodies[i]!)))
      const big = randomBytes(4 * 1024 * 1024)
      await c.put('bkt', 'hot', big)
      const [read] = await Promise.all([c.get('bkt', 'hot'), c.put('bkt', 'hot', 'replaced'), c.send({ method: 'DELETE', bucket: 'bkt', key: 'conc/0' })])
      expect([md5(big), md5('replaced')]).toContain(md5(read.body))
    } finally {
      await emu.close()
    }
  })
})

describe('memory mode', () => {
  it('forgets everything on close', async () => {
    const first = await setup()
    await first.c.put('bkt', 'k', 'v')
    await first.emu.close()
    const second = await setup()
    try {
      expect(errorCode(await second.c.get('bkt', 'k'))).toBe('NoSuchKey')
    } finally {
      await second.emu.close()
    }
  })
})

