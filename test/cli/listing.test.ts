/** `nos ls`, `nos rm`, `nos mb`/`rb` and `nos presign`, each run as a subprocess against the emulator. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { harness, objectBytes, ops, type Harness } from './helpers.js'

let h: Harness

beforeAll(async () => {
  h = await harness({ buckets: ['bkt', 'other', 'pub'] })
  for (const key of ['a.txt', 'dir/b.txt', 'dir/c.bin', 'dir/sub/d.txt', 'dir2/e.txt', 'zeta.txt']) {
    await h.client.putObject({ bucket: 'bkt', key, body: `body of ${key}` })
  }
})
afterAll(() => h.close())

describe('nos ls', () => {
  it('lists buckets without a URI', async () => {
    const [r, j] = await Promise.all([h.nos(['ls']), h.nos(['ls', '--json'])])
    expect(r.code).toBe(0)
    expect(r.stdout.trim().split('\n')).toEqual(['bkt', 'other', 'pub'])
    expect(JSON.parse(j.stdout).buckets.map((b: { name: string }) => b.name)).toEqual(['bkt', 'other', 'pub'])
  })

  it('lists one "directory" level with the delimiter /', async () => {
    const [r, sub] = await Promise.all([h.nos(['ls', 'nos://bkt']), h.nos(['ls', 'nos://bkt/dir/'])])
    expect(r.code).toBe(0)
    expect(r.stdout.trim().split('\n').sort()).toEqual(['a.txt', 'dir/', 'dir2/', 'zeta.txt'])
    expect(sub.stdout.trim().split('\n').sort()).toEqual(['b.txt', 'c.bin', 'sub/'])
    expect(ops(h.emu, 'listObjects').at(-1)!.query).toContain('delimiter=%2F')
  })

  it('lists every key with --recursive', async () => {
    const r = await h.nos(['ls', '--recursive', 'nos://bkt/dir/'])
    expect(r.code).toBe(0)
    expect(r.stdout.trim().split('\n')).toEqual(['dir/b.txt', 'dir/c.bin', 'dir/sub/d.txt'])
  })

  it('-l shows date, human size and ETag', async () => {
    await h.client.putObject({ bucket: 'bkt', key: 'big/blob', body: new Uint8Array(1536 * 1024) })
    const { etag } = await h.client.headObject({ bucket: 'bkt', key: 'big/blob' })
    const [r, top] = await Promise.all([h.nos(['ls', '-l', 'nos://bkt/big/']), h.nos(['ls', '-l', 'nos://bkt'])])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+1\\.5 MiB\\s+${etag}\\s+blob$`, 'm'))
    expect(top.stdout).toMatch(/DIR\s+dir\/$/m)
  })

  it('--json prints one document with objects and prefixes', async () => {
    const r = await h.nos(['ls', '--json', 'nos://bkt/dir/'])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc).toMatchObject({ bucket: 'bkt', prefix: 'dir/', delimiter: '/', prefixes: ['dir/sub/'] })
    expect(doc.objects.map((o: { key: string }) => o.key)).toEqual(['dir/b.txt', 'dir/c.bin'])
    expect(doc.objects[0]).toMatchObject({ size: 'body of dir/b.txt'.length, etag: expect.stringMatching(/^[0-9a-f]{32}$/) })
    expect(new Date(doc.objects[0].lastModified).getTime()).toBeGreaterThan(0)
  })
})

describe('nos rm', () => {
  it('deletes one object; a missing key is exit code 1', async () => {
    await h.client.putObject({ bucket: 'other', key: 'gone.txt', body: 'x' })
    const r = await h.nos(['rm', 'nos://other/gone.txt'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('delete: nos://other/gone.txt')
    expect(await h.client.bucketExists({ bucket: 'other' })).toBe(true)
    await expect(h.client.headObject({ bucket: 'other', key: 'gone.txt' })).rejects.toMatchObject({ name: 'NotFoundError', statusCode: 404 })
    const again = await h.nos(['rm', 'nos://other/gone.txt'])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/^nos: .*NoSuchKey.*request id [0-9a-f]+/m)
  })

  it('--recursive deletes > 1000 keys in batched deleteObjects requests', async () => {
    const keys = Array.from({ length: 1203 }, (_, i) => `many/${String(i).padStart(5, '0')}`)
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((key) => h.client.putObject({ bucket: 'other', key, body: '' })))
    }
    await h.client.putObject({ bucket: 'other', key: 'many-not-under-prefix', body: 'keep' })
    h.emu.clearRequestLog()
    const r = await h.nos(['rm', '--recursive', '--json', 'nos://other/many'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).count).toBe(1203)
    const batches = ops(h.emu, 'deleteObjects')
    expect(batches).toHaveLength(2)
    expect(ops(h.emu, 'deleteObject')).toHaveLength(0)
    const left = []
    for await (const o of h.client.iterateObjects({ bucket: 'other' })) left.push(o.key)
    expect(left).toEqual(['many-not-under-prefix'])
  })

  it('refuses a bare bucket without --recursive (usage error)', async () => {
    const r = await h.nos(['rm', 'nos://other'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^nos: .*--recursive/m)
  })
})

describe('nos mb / rb', () => {
  it('makes a bucket with an ACL and removes it', async () => {
    const r = await h.nos(['mb', 'nos://made-here', '--acl', 'public-read', '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ bucket: 'made-here', created: true })
    expect((await h.client.getBucketAcl({ bucket: 'made-here' })).acl).toBe('public-read')
    const rb = await h.nos(['rb', 'nos://made-here'])
    expect(rb.code).toBe(0)
    expect(await h.client.bucketExists({ bucket: 'made-here' })).toBe(false)
  })

  it('rb refuses a non-empty bucket; --force aborts uploads and deletes objects first', async () => {
    await h.client.createBucket({ bucket: 'full-one' })
    await h.client.putObject({ bucket: 'full-one', key: 'x/1', body: '1' })
    await h.client.putObject({ bucket: 'full-one', key: 'x/2', body: '2' })
    await h.client.createMultipartUpload({ bucket: 'full-one', key: 'pending.bin' })
    const refused = await h.nos(['rb', 'nos://full-one'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/BucketNotEmpty/)
    h.emu.clearRequestLog()
    const r = await h.nos(['rb', '--force', '--json', 'nos://full-one'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({ bucket: 'full-one', removed: true, objectsDeleted: 2, uploadsAborted: 1, failures: [] })
    expect(ops(h.emu, 'abortMultipartUpload')).toHaveLength(1)
    expect(ops(h.emu, 'deleteObjects')).toHaveLength(1)
    expect(await h.client.bucketExists({ bucket: 'full-one' })).toBe(false)
  })

  it('rb --force aborts every pending upload, also beyond one listing page of uploads of one key', async () => {
    // More uploads of one key than rb lists per round (100): rb (cleanupUploads) lists from the start again after
    // each page instead of trusting the server's upload-id-marker pagination.
    await h.client.createBucket({ bucket: 'many-uploads' })
    await Promise.all(Array.from({ length: 101 }, () => h.client.createMultipartUpload({ bucket: 'many-uploads', key: 'same.bin' })))
    h.emu.clearRequestLog()
    const r = await h.nos(['rb', '--force', '--json', 'nos://many-uploads'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ removed: true, uploadsAborted: 101 })
    // 100 aborted, then 1, then an empty listing; each listed from the start (no marker).
    const listings = ops(h.emu, 'listMultipartUploads').map((q) => q.query)
    expect(listings).toHaveLength(3)
    for (const q of listings) expect(q).not.toMatch(/marker/)
    expect(await h.client.bucketExists({ bucket: 'many-uploads' })).toBe(false)
  })

  it('rb --force with an upload whose abort keeps failing: a bounded number of attempts, an error naming it, the bucket kept', async () => {
    await h.client.createBucket({ bucket: 'stuck-upload' })
    const { uploadId } = await h.client.createMultipartUpload({ bucket: 'stuck-upload', key: 'stuck.bin' })
    h.emu.clearRequestLog()
    h.emu.setFaults({ rules: [{ match: { op: 'abortMultipartUpload', bucket: 'stuck-upload' }, action: 'error503' }] })
    try {
      const r = await h.nos(['rb', '--force', 'nos://stuck-upload'])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`1 of 1 failed:`)
      expect(r.stderr).toContain(`nos://stuck-upload/stuck.bin (multipart upload ${uploadId}): `)
      expect(r.stderr).toMatch(/ServiceUnavailable/)
      // Three attempts (CLEANUP_ABORT_ATTEMPTS), each with the client's retries: bounded, not a loop.
      expect(ops(h.emu, 'abortMultipartUpload').length).toBeLessThanOrEqual(3 * 3)
    } finally {
      h.emu.setFaults()
    }
    expect(await h.client.bucketExists({ bucket: 'stuck-upload' })).toBe(true)
    await h.client.abortMultipartUpload({ bucket: 'stuck-upload', key: 'stuck.bin', uploadId })
    await h.client.deleteBucket({ bucket: 'stuck-upload' })
  })
})

describe('nos presign', () => {
  it('prints a GET URL that serves the object', async () => {
    const r = await h.nos(['presign', 'nos://bkt/dir/b.txt', '--expires', '1h'])
    expect(r.code).toBe(0)
    const url = r.stdout.trim()
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/bkt\/dir%2Fb\.txt\?.*Expires=\d+.*Signature=/)
    const expires = Number(new URL(url).searchParams.get('Expires'))
    expect(expires - Date.now() / 1000).toBeGreaterThan(3590)
    expect(expires - Date.now() / 1000).toBeLessThan(3610)
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('body of dir/b.txt')
  })

  it('prints a PUT URL bound to a Content-Type (--json)', async () => {
    const r = await h.nos(['presign', 'nos://bkt/up/new.txt', '--method', 'PUT', '--content-type', 'text/plain', '--expires', '15m', '--json'])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'text/plain' }, expires: 900 })
    const wrong = await fetch(doc.url, { method: 'PUT', body: 'nope', headers: { 'Content-Type': 'image/png' } })
    expect(wrong.status).toBe(403)
    const ok = await fetch(doc.url, { method: 'PUT', body: 'uploaded with a presigned URL', headers: { 'Content-Type': 'text/plain' } })
    expect(ok.status).toBe(200)
    expect((await objectBytes(h.client, 'bkt', 'up/new.txt')).toString()).toBe('uploaded with a presigned URL')
    expect((await h.client.headObject({ bucket: 'bkt', key: 'up/new.txt' })).contentType).toBe('text/plain')
  })

  it('rejects a bad duration with exit code 2', async () => {
    const r = await h.nos(['presign', 'nos://bkt/a.txt', '--expires', 'soon'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^nos: --expires: not a duration/m)
  })
})
