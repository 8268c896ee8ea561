import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setup } from './setup.js'
import { NosClient } from '../../src/index.js'

let emu: Awaited<ReturnType<typeof setup>>['emu']
let client: NosClient
const KEYS: string[] = []
beforeAll(async () => {
  ;({ emu, client } = await setup())
  // 2600 objects: 2 top-level "dirs" x 13 sub-dirs x 100 files, plus loose files.
  for (const top of ['a', 'b']) for (let d = 0; d < 13; d++) for (let f = 0; f < 100; f++) KEYS.push(`${top}/d${String(d).padStart(2, '0')}/f${String(f).padStart(3, '0')}`)
  KEYS.push('loose-1', 'loose-2')
  for (let i = 0; i < KEYS.length; i += 200) await Promise.all(KEYS.slice(i, i + 200).map((key) => client.putObject({ bucket: 'bkt', key, body: key })))
}, 120_000)
afterAll(() => emu.close())

describe('listing', () => {
  it('defaults to 100 keys per page (NOS default) and reports truncation', async () => {
    const page = await client.listObjects({ bucket: 'bkt' })
    expect(page.contents).toHaveLength(100)
    expect(page.maxKeys).toBe(100)
    expect(page.isTruncated).toBe(true)
    expect(page.nextMarker).toBe(page.contents.at(-1)!.key)
  })

  it('follows markers through all 2602 objects in order', async () => {
    const seen: string[] = []
    let pages = 0
    for await (const page of client.iterateObjectPages({ bucket: 'bkt', limit: 333 })) {
      pages++
      seen.push(...page.contents.map((c) => c.key))
    }
    expect(pages).toBe(Math.ceil(KEYS.length / 333))
    expect(seen).toEqual([...KEYS].sort())
  })

  it('iterates objects under a prefix', async () => {
    const keys: string[] = []
    for await (const o of client.iterateObjects({ bucket: 'bkt', prefix: 'b/d07/' })) keys.push(o.key)
    expect(keys).toHaveLength(100)
    expect(keys.every((k) => k.startsWith('b/d07/'))).toBe(true)
  })

  it('groups common prefixes with a delimiter, across pages', async () => {
    const top = await client.listObjects({ bucket: 'bkt', delimiter: '/' })
    expect(top.commonPrefixes).toEqual(['a/', 'b/'])
    expect(top.contents.map((c) => c.key)).toEqual(['loose-1', 'loose-2'])
    const dirs: string[] = []
    for await (const p of client.iterateCommonPrefixes({ bucket: 'bkt', prefix: 'a/', delimiter: '/', limit: 5 })) dirs.push(p)
    expect(dirs).toEqual(Array.from({ length: 13 }, (_, d) => `a/d${String(d).padStart(2, '0')}/`))
  })

  it('starts after a marker', async () => {
    const page = await client.listObjects({ bucket: 'bkt', prefix: 'a/d00/', marker: 'a/d00/f097' })
    expect(page.contents.map((c) => c.key)).toEqual(['a/d00/f098', 'a/d00/f099'])
    expect(page.marker).toBe('a/d00/f097')
    expect(page.isTruncated).toBe(false)
  })

  it('limit 0 lists nothing, limit 1000 is the maximum', async () => {
    expect((await client.listObjects({ bucket: 'bkt', limit: 0 })).contents).toHaveLength(0)
    expect((await client.listObjects({ bucket: 'bkt', limit: 1000 })).contents).toHaveLength(1000)
  })

  it('iterates parts and multipart uploads', async () => {
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await client.createMultipartUpload({ bucket: 'other', key: `mp/${i}` })).uploadId)
    for (let n = 1; n <= 5; n++) await client.uploadPart({ bucket: 'other', key: 'mp/0', uploadId: ids[0]!, partNum: n, body: 'x'.repeat(n) })
    const parts: number[] = []
    for await (const p of client.iterateParts({ bucket: 'other', key: 'mp/0', uploadId: ids[0]!, limit: 2 })) parts.push(p.partNum)
    expect(parts).toEqual([1, 2, 3, 4, 5])
    const uploads: string[] = []
    for await (const u of client.iterateMultipartUploads({ bucket: 'other', limit: 1 })) uploads.push(u.uploadId)
    expect(uploads.sort()).toEqual([...ids].sort())
    const aborted = await client.cleanupUploads({ bucket: 'other', prefix: 'mp/' })
    expect(aborted).toHaveLength(3)
    expect((await client.listMultipartUploads({ bucket: 'other' })).uploads).toHaveLength(0)
  })
})

describe('buckets', () => {
  it('create, list, head, location, acl, delete', async () => {
    await client.createBucket({ bucket: 'new-bucket-1', acl: 'public-read', location: 'HZ' })
    const { buckets } = await client.listBuckets()
    expect(buckets.map((b) => b.name)).toEqual(expect.arrayContaining(['bkt', 'other', 'new-bucket-1']))
    expect(buckets.find((b) => b.name === 'new-bucket-1')!.creationDate).toBeInstanceOf(Date)
    await client.headBucket({ bucket: 'new-bucket-1' })
    expect(await client.bucketExists({ bucket: 'new-bucket-1' })).toBe(true)
    expect(await client.bucketExists({ bucket: 'no-such-bucket' })).toBe(false)
    expect((await client.getBucketLocation({ bucket: 'new-bucket-1' })).location).toBe('HZ')
    expect((await client.getBucketAcl({ bucket: 'new-bucket-1' })).acl).toBe('public-read')
    await client.putBucketAcl({ bucket: 'new-bucket-1', acl: 'private' })
    expect((await client.getBucketAcl({ bucket: 'new-bucket-1' })).acl).toBe('private')
    await client.deleteBucket({ bucket: 'new-bucket-1' })
    expect(await client.bucketExists({ bucket: 'new-bucket-1' })).toBe(false)
  })

  it('creating an existing bucket is a ConflictError', async () => {
    await expect(client.createBucket({ bucket: 'bkt' })).rejects.toMatchObject({ name: 'ConflictError', errorCode: 'BucketAlreadyOwnedByYou' })
  })

  it('a non-empty bucket cannot be deleted', async () => {
    await expect(client.deleteBucket({ bucket: 'bkt' })).rejects.toMatchObject({ name: 'ConflictError', errorCode: 'BucketNotEmpty' })
  })

  it('CORS rules round trip', async () => {
    const rules = [{ allowedOrigins: ['https://app.example.com'], allowedMethods: ['GET', 'PUT'] as ('GET' | 'PUT')[], allowedHeaders: ['*'], exposeHeaders: ['ETag'], maxAgeSeconds: 600 }]
    await client.putBucketCors({ bucket: 'other', rules })
    expect((await client.getBucketCors({ bucket: 'other' })).rules).toEqual(rules)
    await client.deleteBucketCors({ bucket: 'other' })
    await expect(client.getBucketCors({ bucket: 'other' })).rejects.toMatchObject({ statusCode: 404 })
  })

  it('anonymous clients read public-read buckets only', async () => {
    await client.createBucket({ bucket: 'pub-bucket', acl: 'public-read' })
    await client.putObject({ bucket: 'pub-bucket', key: 'hello', body: 'public' })
    await client.putObject({ bucket: 'bkt', key: 'secret', body: 'private' })
    const anon = new NosClient({ endpoint: emu.endpoint })
    expect(await (await anon.getObject({ bucket: 'pub-bucket', key: 'hello' })).text()).toBe('public')
    await expect(anon.getObject({ bucket: 'bkt', key: 'secret' })).rejects.toMatchObject({ name: 'ForbiddenError', errorCode: 'AccessDenied' })
    await expect(anon.putObject({ bucket: 'pub-bucket', key: 'x', body: 'y' })).rejects.toMatchObject({ name: 'ForbiddenError' })
  })
})
