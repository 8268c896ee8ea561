/**
 * No listener leaks through managed transfers: uploads and Node downloads sharing one caller signal
 * leave it with no listener once they settle, whatever the outcome (done, failed, paused, aborted).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { AK, SK, randomBytes, setup } from './setup.js'
import { NosClient } from '../../src/node.js'
import { countingSignal } from '../helpers/counting-signal.js'

let emu: Awaited<ReturnType<typeof setup>>['emu']
let client: NosClient
let dir: string
beforeAll(async () => {
  ;({ emu } = await setup())
  client = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint, retryBaseDelay: 0, retryMaxDelay: 0 })
  dir = await mkdtemp(join(tmpdir(), 'nos-signal-'))
})
afterAll(async () => {
  await emu.close()
  await rm(dir, { recursive: true, force: true })
})

const KiB = 1024

describe('managed transfers sharing one signal', () => {
  it('regression: 64 uploads (one PUT and multipart, every body kind) and downloads leave the shared signal with no listeners', async () => {
    const s = countingSignal()
    const data = randomBytes(40 * KiB + 7, 1)
    const bodies = [
      () => data.subarray(0, 100),
      () => data,
      () => new Blob([data]),
      () => Readable.from([data.subarray(0, 20 * KiB), data.subarray(20 * KiB)]),
      () => new Blob([data]).stream(),
    ]
    for (let batch = 0; batch < 8; batch++) {
      await Promise.all(Array.from({ length: 8 }, (_, j) => {
        const i = batch * 8 + j
        return client.upload({ bucket: 'bkt', key: `shared/${i}`, body: bodies[i % bodies.length]!(), partSize: 16 * KiB, signal: s.signal })
      }))
    }
    expect(s.live).toBe(0)
    await Promise.all([0, 1, 2, 3].map((i) => client.downloadFile({ bucket: 'bkt', key: `shared/${i}`, path: join(dir, `d${i}`), partSize: 8 * KiB, signal: s.signal })))
    expect(s.added).toBeGreaterThan(0)
    expect(s.peak).toBe(1)
    expect(s.live).toBe(0)
  })

  it('failed, paused and aborted uploads leave no listener either', async () => {
    const s = countingSignal()
    emu.setFaults({ rules: [{ match: { op: 'uploadPart', keyPrefix: 'shared-fail' }, action: 'error500' }] })
    try {
      await expect(client.upload({ bucket: 'bkt', key: 'shared-fail', body: new Uint8Array(64 * KiB), partSize: 16 * KiB, partRetries: 0, signal: s.signal })).rejects.toMatchObject({ statusCode: 500 })
    } finally {
      emu.setFaults()
    }
    const paused = client.upload({ bucket: 'bkt', key: 'shared-pause', body: new Uint8Array(64 * KiB), partSize: 16 * KiB, concurrency: 1, signal: s.signal, onProgress: (p) => { if (p.partsDone === 1) void paused.pause() } })
    const cp = await paused.catch((e: any) => e.checkpoint)
    await client.abortMultipartUpload({ bucket: 'bkt', key: 'shared-pause', uploadId: cp.uploadId })
    const aborted = client.upload({ bucket: 'bkt', key: 'shared-abort', body: new Uint8Array(64 * KiB), partSize: 16 * KiB, concurrency: 1, signal: s.signal, onProgress: (p) => { if (p.partsDone === 1) void aborted.abort() } })
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' })
    expect(s.live).toBe(0)
    // The shared signal still works afterwards: aborting it aborts the next upload at once.
    s.controller.abort()
    await expect(client.upload({ bucket: 'bkt', key: 'shared-late', body: 'x', signal: s.signal })).rejects.toMatchObject({ name: 'AbortError' })
    expect((await client.listMultipartUploads({ bucket: 'bkt' })).uploads).toEqual([])
  })
})
