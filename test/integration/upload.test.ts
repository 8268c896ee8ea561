import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setup, randomBytes } from './setup.js'
import { MemoryCheckpointStore, UploadPausedError, type UploadProgress } from '../../src/index.js'
import { NosClient as NodeClient, FileCheckpointStore, fileSource } from '../../src/node.js'
import type { NosClient } from '../../src/index.js'
import { streamOf } from '../helpers/streams.js'
import { md5, multipartEtag } from '../helpers/md5.js'

let emu: Awaited<ReturnType<typeof setup>>['emu']
let client: NosClient
let dir: string
beforeAll(async () => {
  ;({ emu, client } = await setup())
  dir = await mkdtemp(join(tmpdir(), 'nos-upload-'))
})
afterAll(async () => {
  await emu.close()
  await rm(dir, { recursive: true, force: true })
})

const KiB = 1024
const MiB = 1024 * KiB


async function download(key: string): Promise<Uint8Array> {
  return (await client.getObject({ bucket: 'bkt', key })).bytes()
}


const ops = (op: string) => emu.requests.filter((r) => r.op === op)

describe('upload()', () => {
  it('small bodies go in one PUT', async () => {
    emu.clearRequestLog()
    const r = await client.upload({ bucket: 'bkt', key: 'small', body: 'hello' })
    expect(r).toMatchObject({ uploadId: undefined, partsTotal: 1, size: 5, etag: md5(new TextEncoder().encode('hello')) })
    expect(ops('putObject')).toHaveLength(1)
    expect(ops('initiateMultipartUpload')).toHaveLength(0)
  })

  it('multipart with concurrency: byte-exact, NOS ETag rule, progress', async () => {
    const data = randomBytes(5 * MiB + 123, 11)
    const events: UploadProgress[] = []
    emu.clearRequestLog()
    const r = await client.upload({ bucket: 'bkt', key: 'mp-bytes', body: data, partSize: MiB, concurrency: 3, onProgress: (p) => events.push({ ...p }), metadata: { a: 'b' }, contentType: 'application/x-test' })
    expect(r.partsTotal).toBe(6)
    expect(r.etag).toBe(multipartEtag(data, MiB))
    expect(md5(await download('mp-bytes'))).toBe(md5(data))
    const head = await client.headObject({ bucket: 'bkt', key: 'mp-bytes' })
    expect(head).toMatchObject({ contentLength: data.length, contentType: 'application/x-test', metadata: { a: 'b' } })
    expect(ops('uploadPart')).toHaveLength(6)
    const last = events.at(-1)!
    expect(last).toEqual({ loaded: data.length, total: data.length, partsDone: 6, partsTotal: 6 })
    expect(events.every((e) => e.loaded <= data.length && e.total === data.length)).toBe(true)
    // byte-level progress: more events than parts (1 MiB slices of 1 MiB parts report at least once each mid-part)
    expect(events.length).toBeGreaterThan(6)
  })

  it('x-nos-object-md5: computed with objectMd5: true, given as hex, absent by default', async () => {
    const data = randomBytes(MiB + 5, 30)
    const sent: (string | null)[] = []
    const spy = new (client.constructor as typeof NodeClient)({
      accessKeyId: 'testAccessKey', accessKeySecret: 'testSecretKey0123456789abcdef', endpoint: emu.endpoint,
      fetch: (url, init) => {
        if (String(url).includes('uploadId=') && init?.method === 'POST') sent.push(new Headers(init.headers).get('x-nos-object-md5'))
        return fetch(url, init)
      },
    })
    await spy.upload({ bucket: 'bkt', key: 'omd5', body: data, partSize: 512 * KiB, objectMd5: true })
    await spy.upload({ bucket: 'bkt', key: 'omd5', body: data, partSize: 512 * KiB, objectMd5: 'ABCDEF0123456789ABCDEF0123456789' })
    await spy.upload({ bucket: 'bkt', key: 'omd5', body: data, partSize: 512 * KiB })
    expect(sent).toEqual([md5(data), 'abcdef0123456789abcdef0123456789', null])
  })

  it('a stream of unknown length: multipart, total undefined until the end, byte-exact', async () => {
    const data = randomBytes(3 * MiB + 7, 12)
    const events: UploadProgress[] = []
    const r = await client.upload({ bucket: 'bkt', key: 'mp-stream', body: streamOf(data), partSize: 512 * KiB, concurrency: 2, onProgress: (p) => events.push({ ...p }) })
    expect(r.partsTotal).toBe(7)
    expect(events.every((e) => e.total === undefined && e.partsTotal === undefined)).toBe(true)
    expect(md5(await download('mp-stream'))).toBe(md5(data))
  })

  it('a short stream of unknown length becomes one PUT', async () => {
    emu.clearRequestLog()
    const data = randomBytes(100 * KiB, 13)
    await client.upload({ bucket: 'bkt', key: 'short-stream', body: streamOf(data), partSize: 512 * KiB })
    expect(ops('putObject')).toHaveLength(1)
    expect(md5(await download('short-stream'))).toBe(md5(data))
  })

  it('a stream of exactly one part becomes one PUT', async () => {
    const data = randomBytes(512 * KiB, 14)
    emu.clearRequestLog()
    await client.upload({ bucket: 'bkt', key: 'exact-stream', body: streamOf(data), partSize: 512 * KiB })
    expect(ops('putObject')).toHaveLength(1)
    expect(md5(await download('exact-stream'))).toBe(md5(data))
  })

  it('Blob sources are sliced, and empty bodies work', async () => {
    const data = randomBytes(2 * MiB + 1, 15)
    await client.upload({ bucket: 'bkt', key: 'blob', body: new Blob([data]), partSize: MiB })
    expect(md5(await download('blob'))).toBe(md5(data))
    await client.upload({ bucket: 'bkt', key: 'empty', body: new Uint8Array(0) })
    expect((await download('empty')).length).toBe(0)
  })

  it('completes byte-exact with ~10% of part requests failing (503 and resets mid-body)', async () => {
    const data = randomBytes(24 * MiB, 16)
    emu.clearRequestLog()
    emu.setFaults({
      seed: 42,
      rules: [
        { match: { op: 'uploadPart', probability: 0.05 }, action: 'error503' },
        { match: { op: 'uploadPart', probability: 0.05 }, action: 'reset', resetAfterBytes: 64 * KiB },
      ],
    })
    try {
      const r = await client.upload({ bucket: 'bkt', key: 'faulty', body: data, partSize: 256 * KiB, concurrency: 4 })
      expect(r.etag).toBe(multipartEtag(data, 256 * KiB))
    } finally {
      emu.setFaults()
    }
    const faulted = emu.requests.filter((r) => r.fault)
    expect(faulted.length).toBeGreaterThan(3)
    expect(new Set(faulted.map((f) => f.fault))).toEqual(new Set(['error503', 'reset']))
    expect(md5(await download('faulty'))).toBe(md5(data))
    expect((await client.listMultipartUploads({ bucket: 'bkt' })).uploads).toHaveLength(0)
  })

  it('abort at 50% cancels in-flight parts and leaves no multipart upload behind', async () => {
    const data = randomBytes(8 * MiB, 17)
    const ctrl = new AbortController()
    emu.clearRequestLog()
    emu.setFaults({ rules: [{ match: { op: 'uploadPart' }, action: 'delay', delayMs: 30 }] })
    const up = client.upload({
      bucket: 'bkt', key: 'aborted', body: data, partSize: 256 * KiB, concurrency: 2, signal: ctrl.signal,
      onProgress: (p) => { if (p.loaded >= data.length / 2) ctrl.abort() },
    })
    const err: any = await up.then(() => null, (e) => e)
    emu.setFaults()
    expect(err?.name).toBe('AbortError')
    expect((await client.listMultipartUploads({ bucket: 'bkt' })).uploads).toHaveLength(0)
    await expect(client.headObject({ bucket: 'bkt', key: 'aborted' })).rejects.toMatchObject({ statusCode: 404 })
    expect(ops('abortMultipartUpload')).toHaveLength(1)
  })

  it('a part that keeps failing aborts the upload and removes its parts', async () => {
    emu.setFaults({ rules: [{ match: { op: 'uploadPart', nth: Array.from({ length: 30 }, (_, i) => i + 3) }, action: 'error500' }] })
    const err: any = await client.upload({ bucket: 'bkt', key: 'failing', body: randomBytes(2 * MiB, 18), partSize: 256 * KiB, concurrency: 1, partRetries: 1 }).then(() => null, (e) => e)
    emu.setFaults()
    expect(err?.name).toBe('InternalServerErrorError')
    expect((await client.listMultipartUploads({ bucket: 'bkt' })).uploads).toHaveLength(0)
  })

  it('pause yields a JSON checkpoint; resume sends only the missing parts', async () => {
    const data = randomBytes(4 * MiB, 19)
    emu.setFaults({ rules: [{ match: { op: 'uploadPart' }, action: 'delay', delayMs: 20 }] })
    let paused: Promise<unknown> | undefined
    const up = client.upload({ bucket: 'bkt', key: 'paused', body: data, partSize: 256 * KiB, concurrency: 2, onProgress: (p) => { if (p.partsDone >= 5 && !paused) paused = up.pause() } })
    const err: any = await up.then(() => null, (e) => e)
    emu.setFaults()
    expect(err).toBeInstanceOf(UploadPausedError)
    const cp = JSON.parse(JSON.stringify(await paused))
    expect(cp).toMatchObject({ version: 1, bucket: 'bkt', key: 'paused', partSize: 256 * KiB, size: data.length })
    expect(cp.parts.length).toBeGreaterThanOrEqual(5)
    const listed = await client.listParts({ bucket: 'bkt', key: 'paused', uploadId: cp.uploadId })
    expect(listed.parts.length).toBeGreaterThanOrEqual(cp.parts.length)
    emu.clearRequestLog()
    const r = await client.upload({ bucket: 'bkt', key: 'paused', body: data, resume: cp })
    expect(r.uploadId).toBe(cp.uploadId)
    expect(r.partsSent).toBe(16 - listed.parts.length)
    expect(ops('uploadPart')).toHaveLength(16 - listed.parts.length)
    expect(md5(await download('paused'))).toBe(md5(data))
  })

  it('a checkpoint store resumes after a failure (parts kept), and rejects a changed source', async () => {
    const store = new MemoryCheckpointStore()
    const data = randomBytes(2 * MiB, 20)
    emu.setFaults({ rules: [{ match: { op: 'uploadPart', nth: [5, 6, 7, 8, 9, 10] }, action: 'error500' }] })
    await expect(client.upload({ bucket: 'bkt', key: 'stored', body: data, partSize: 256 * KiB, concurrency: 1, partRetries: 1, checkpoint: store })).rejects.toMatchObject({ statusCode: 500 })
    emu.setFaults()
    expect(store.keys()).toHaveLength(1)
    emu.clearRequestLog()
    const r = await client.upload({ bucket: 'bkt', key: 'stored', body: data, partSize: 256 * KiB, checkpoint: store })
    expect(ops('uploadPart')).toHaveLength(8 - 4)
    expect(r.partsSent).toBe(4)
    expect(store.keys()).toHaveLength(0)
    expect(md5(await download('stored'))).toBe(md5(data))
  })

  it('a stream resumes by re-reading and checking each part against the listed ETags', async () => {
    const store = new MemoryCheckpointStore()
    const data = randomBytes(2 * MiB, 21)
    emu.setFaults({ rules: [{ match: { op: 'uploadPart', nth: [4, 5, 6, 7] }, action: 'error500' }] })
    await expect(client.upload({ bucket: 'bkt', key: 'stream-stored', body: streamOf(data), partSize: 256 * KiB, concurrency: 1, partRetries: 0, checkpoint: store })).rejects.toMatchObject({ name: 'InternalServerErrorError', statusCode: 500, errorCode: 'InternalError' })
    emu.setFaults()
    emu.clearRequestLog()
    await client.upload({ bucket: 'bkt', key: 'stream-stored', body: streamOf(data), partSize: 256 * KiB, checkpoint: store })
    expect(ops('uploadPart')).toHaveLength(8 - 3)
    expect(md5(await download('stream-stored'))).toBe(md5(data))
  })

  it('cleanupUploads aborts only stale uploads', async () => {
    // One injected clock for the emulator (Initiated, in whole seconds) and the client (olderThan's cutoff, Date).
    let now = Date.UTC(2024, 0, 2, 3, 4, 5)
    const timed = await setup({ now: () => now }, { now: () => now })
    try {
      const old = await timed.client.createMultipartUpload({ bucket: 'other', key: 'stale/1' })
      now += 1000
      const fresh = await timed.client.createMultipartUpload({ bucket: 'other', key: 'stale/2' })
      now += 500
      // old is 1.5 s old, fresh 0.5 s: only old is older than 1 s.
      const aborted = await timed.client.cleanupUploads({ bucket: 'other', prefix: 'stale/', olderThan: 1000 })
      expect(aborted).toEqual([{ key: 'stale/1', uploadId: old.uploadId }])
      const left = await timed.client.listMultipartUploads({ bucket: 'other' })
      expect(left.uploads.map((u) => [u.uploadId, u.initiated.getTime()])).toEqual([[fresh.uploadId, Date.UTC(2024, 0, 2, 3, 4, 6)]])
      expect(await timed.client.cleanupUploads({ bucket: 'other', olderThan: new Date(now) })).toEqual([{ key: 'stale/2', uploadId: fresh.uploadId }])
    } finally {
      await timed.emu.close()
    }
  })
})

describe('nos-sdk/node', () => {
  it('uploads a file and downloads it with parallel ranged GETs, resuming an interrupted download', async () => {
    const data = randomBytes(3 * MiB + 5, 22)
    const src = join(dir, 'src.bin')
    await writeFile(src, data)
    const node = new NodeClient({ accessKeyId: 'testAccessKey', accessKeySecret: 'testSecretKey0123456789abcdef', endpoint: emu.endpoint })
    await node.uploadFile({ bucket: 'bkt', key: 'file.bin', path: src, partSize: MiB })
    const dest = join(dir, 'dest.bin')
    // interrupt the download after a few ranges
    const ctrl = new AbortController()
    let seen = 0
    await expect(node.downloadFile({ bucket: 'bkt', key: 'file.bin', path: dest, partSize: 256 * KiB, concurrency: 2, signal: ctrl.signal, onProgress: (p) => { seen = p.loaded; if (p.loaded > MiB) ctrl.abort() } })).rejects.toMatchObject({ name: 'AbortError' })
    expect(seen).toBeLessThan(data.length)
    emu.clearRequestLog()
    const r = await node.downloadFile({ bucket: 'bkt', key: 'file.bin', path: dest, partSize: 256 * KiB, concurrency: 3 })
    expect(r.bytesFetched).toBeLessThan(data.length)
    expect(r.bytesFetched).toBeGreaterThan(0)
    expect(md5(await readFile(dest))).toBe(md5(data))
    expect(r.md5).toBe(md5(data))
    expect((await readdir(dir)).filter((f) => f.includes('.nosdl'))).toEqual([])
  })

  it('detects an object that changed between sessions and starts over', async () => {
    const node = new NodeClient({ accessKeyId: 'testAccessKey', accessKeySecret: 'testSecretKey0123456789abcdef', endpoint: emu.endpoint })
    await node.putObject({ bucket: 'bkt', key: 'changing', body: randomBytes(MiB, 23) })
    const dest = join(dir, 'changing.bin')
    const ctrl = new AbortController()
    await node.downloadFile({ bucket: 'bkt', key: 'changing', path: dest, partSize: 128 * KiB, concurrency: 1, signal: ctrl.signal, onProgress: (p) => { if (p.loaded > 300 * KiB) ctrl.abort() } }).catch(() => {})
    const v2 = randomBytes(MiB, 24)
    await node.putObject({ bucket: 'bkt', key: 'changing', body: v2 })
    const r = await node.downloadFile({ bucket: 'bkt', key: 'changing', path: dest, partSize: 128 * KiB })
    expect(r.bytesFetched).toBe(MiB)
    expect(md5(await readFile(dest))).toBe(md5(v2))
    expect(r.md5MatchesEtag).toBe(true)
  })

  it('a process killed mid-upload (SIGKILL) resumes from its file checkpoint, sending only missing parts', { timeout: 60_000 }, async () => {
    const data = randomBytes(4 * MiB, 25)
    const file = join(dir, 'kill.bin')
    const ckpt = join(dir, 'ckpt')
    const key = 'killed.bin'
    await writeFile(file, data)
    emu.clearRequestLog()
    // Parts 1-6 are served; from the 7th on, parts are held (until the child's connection closes): the child can
    // neither finish nor record a 7th part, whatever the machine's load.
    emu.setFaults({ rules: [{ match: { op: 'uploadPart', nth: Array.from({ length: 20 }, (_, i) => i + 7) }, action: 'delay', delayMs: 600_000 }] })
    const run = () => spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/upload-child.ts', emu.endpoint, file, ckpt, key], { stdio: ['ignore', 'pipe', 'pipe'] })
    const child = run()
    const exited = new Promise<never>((_, reject) => child.on('exit', () => reject(new Error('child exited before it was killed'))))
    exited.catch(() => {})
    // Killed once its checkpoint file lists the six parts it can get (the file is replaced atomically), polled every
    // 5 ms: the pause only paces the polling, the parts held make the outcome certain.
    const recorded = async () => {
      const files = (await readdir(ckpt).catch(() => [] as string[])).filter((f) => f.endsWith('.json'))
      return files.length ? (JSON.parse(await readFile(join(ckpt, files[0]!), 'utf8')) as { parts: unknown[] }).parts.length : 0
    }
    await Promise.race([exited, (async () => { while ((await recorded()) < 6) await new Promise((r) => setTimeout(r, 5)) })()])
    child.kill('SIGKILL')
    await new Promise((r) => child.on('close', r))
    emu.setFaults()
    const first = ops('uploadPart').filter((r) => r.status === 200).length
    expect(first).toBe(6)
    expect((await readdir(ckpt)).filter((f) => f.endsWith('.json'))).toHaveLength(1)
    emu.clearRequestLog()
    const again = run()
    let out = ''
    again.stdout.on('data', (d) => (out += d))
    let errOut = ''
    again.stderr.on('data', (d) => (errOut += d))
    const code = await new Promise((r) => again.on('close', r))
    expect(code, errOut).toBe(0)
    const result = JSON.parse(out.trim().split('DONE ')[1]!)
    const sent = ops('uploadPart').length
    expect(result.partsSent).toBe(16 - 6)
    expect(sent).toBe(16 - 6)
    expect(md5(await download(key))).toBe(md5(data))
    expect(await readdir(ckpt)).toEqual([])
  })

  it('fileSource reads parts lazily (used by upload)', async () => {
    const data = randomBytes(100_000, 26)
    const p = join(dir, 'fs.bin')
    await writeFile(p, data)
    const src = await fileSource(p)
    expect(src.size).toBe(100_000)
    expect(md5((await src.read(10, 20)) as Uint8Array)).toBe(md5(data.subarray(10, 20)))
    await src.close?.()
    const store = new FileCheckpointStore(join(dir, 'store'))
    await store.save('id', { version: 1, bucket: 'b', key: 'k', uploadId: '1', partSize: 16384, size: 1, fingerprint: 'f', parts: [], createdAt: '' })
    expect((await store.load('id'))?.uploadId).toBe('1')
    await store.remove('id')
    expect(await store.load('id')).toBeUndefined()
  })
})
