/**
 * Resuming direct uploads (docs/protocol.md#direct-upload): a process SIGKILLed mid-chunk resumes from its file
 * checkpoint and sends only the missing bytes (the emulator's request log proves it), and, for random sizes, chunk
 * sizes and interruptions (pause, lost answer, reset connection), the object is byte-exact and no byte is stored
 * twice.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileCheckpointStore, createNodeMd5, fileSource } from '../../src/node.js'
import type { Emulator, FaultRule, RequestLogEntry } from '../../src/emulator/index.js'
import { MemoryCheckpointStore, createUploadToken, directUpload, type DirectUploadCheckpoint, type NosClient } from '../../src/index.js'
import { AK, SK, randomBytes, setup } from './setup.js'
import { md5 } from '../helpers/md5.js'

let emu: Emulator
let client: NosClient
let dir: string
beforeAll(async () => {
  ;({ emu, client } = await setup())
  dir = await mkdtemp(join(tmpdir(), 'nos-direct-'))
})
afterAll(async () => {
  await emu.close()
  await rm(dir, { recursive: true, force: true })
})

const token = (key: string) => createUploadToken({ accessKeyId: AK, accessKeySecret: SK, bucket: 'bkt', key })
/** Bytes NOS stored: chunks answered 200, and chunks whose answer the dropResponse fault lost. */
const storedBytes = (log: RequestLogEntry[], key: string) =>
  log.filter((r) => r.op === 'directUpload' && r.key === key && (r.status === 200 || r.fault === 'dropResponse')).reduce((n, r) => n + r.bytesIn, 0)

/**
 * What NOS stores in all: every byte once, except after a lost answer NOS cannot be asked about: for the first
 * chunk (no context yet, so it is sent again under a new one) and for the completing chunk (the context is gone
 * with the completion, so the upload starts over: correct, at the cost of a second upload).
 */
function expectedStored(size: number, chunk: number, cut: { kind: string; nth?: number }): number {
  const chunks = Math.max(1, Math.ceil(size / chunk))
  if (cut.kind !== 'dropResponse' || cut.nth! > chunks) return size
  if (cut.nth === chunks) return 2 * size
  return cut.nth === 1 ? size + chunk : size
}

describe('direct upload resume', () => {
  it('a SIGKILLed process resumes from its file checkpoint and sends only the missing bytes', async () => {
    const KiB = 1024
    const data = randomBytes(8 * 1024 * KiB + 3, 41)
    const file = join(dir, 'killed.bin')
    const ckpt = join(dir, 'ckpt')
    await writeFile(file, data)
    const stallAt = 5 * 1024 * KiB
    const t = await token('killed.bin')
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/direct-upload-child.ts', `${emu.endpoint}/lbs`, file, ckpt, 'killed.bin', t, String(stallAt)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (b: Buffer) => (stderr += b))
    const exited = new Promise<NodeJS.Signals | null>((ok) => child.on('exit', (_code, signal) => ok(signal)))
    await new Promise<void>((ok, fail) => {
      child.stdout.on('data', (b: Buffer) => String(b).includes(`STALLED ${stallAt}`) && ok())
      child.on('exit', () => fail(new Error(`the child exited before stalling: ${stderr}`)))
    })
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    // The checkpoint, and the lock the killed process could not release (taken over below: its pid is gone).
    expect((await readdir(ckpt)).filter((f) => f.endsWith('.json'))).toHaveLength(1)
    emu.clearRequestLog()

    const r = await directUpload({ token: t, bucket: 'bkt', key: 'killed.bin', body: await fileSource(file), lbsEndpoint: `${emu.endpoint}/lbs`, chunkSize: 512 * KiB, md5: createNodeMd5, checkpoint: new FileCheckpointStore<DirectUploadCheckpoint>(ckpt) })
    expect(r).toMatchObject({ resumed: true, bytesSent: data.length - stallAt, size: data.length, etag: md5(data) })
    expect(emu.requests.filter((e) => e.op === 'directQueryOffset').map((e) => e.status)).toEqual([200])
    expect(storedBytes(emu.requests, 'killed.bin')).toBe(data.length - stallAt)
    expect(emu.requests.filter((e) => e.op === 'directUpload').every((e) => e.status === 200)).toBe(true)
    expect(Buffer.compare(await (await client.getObject({ bucket: 'bkt', key: 'killed.bin' })).bytes(), data)).toBe(0)
    expect(await readdir(ckpt)).toEqual([])
  })

  it('property: for any size, chunk size and interruption, the object is byte-exact and NOS stores each byte once (unless an answer it cannot be asked about was lost)', async () => {
    let run = 0
    const interruption = fc.oneof(
      fc.record({ kind: fc.constant('pause' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ kind: fc.constant('dropResponse' as const), nth: fc.integer({ min: 1, max: 6 }) }),
      fc.record({ kind: fc.constant('reset' as const), nth: fc.integer({ min: 1, max: 6 }), after: fc.integer({ min: 1, max: 3000 }) }),
    )
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 150 * 1024 }), fc.integer({ min: 4, max: 32 }), interruption, async (size, chunkKiB, cut) => {
        const key = `prop/${run++}.bin`
        const body = randomBytes(size, run)
        const store = new MemoryCheckpointStore<DirectUploadCheckpoint>()
        const p = { token: await token(key), bucket: 'bkt', key, body, endpoint: emu.endpoint, chunkSize: chunkKiB * 1024, checkpoint: store, retryBaseDelay: 1, retryMaxDelay: 2 }
        const faults: FaultRule[] = cut.kind === 'pause' ? [] : [{ match: { op: 'directUpload', keyPrefix: key, nth: [cut.nth] }, action: cut.kind, resetAfterBytes: 'after' in cut ? cut.after : undefined }]
        emu.setFaults({ rules: faults })
        emu.clearRequestLog()
        let paused: Promise<unknown> | undefined
        const first = directUpload({ ...p, onProgress: (e) => void (cut.kind === 'pause' && e.confirmed >= cut.at * size && (paused ??= first.pause().catch(() => undefined))) })
        const outcome = await first.then(() => 'done', (e: unknown) => (e as Error).name)
        const log = [...emu.requests]
        emu.setFaults()
        if (outcome !== 'done') {
          expect(outcome).toBe('DirectUploadPausedError')
          await paused
          emu.clearRequestLog()
          await directUpload(p)
          log.push(...emu.requests)
        }
        const got = await (await client.getObject({ bucket: 'bkt', key })).bytes()
        expect(Buffer.compare(got, body)).toBe(0)
        expect((await client.headObject({ bucket: 'bkt', key })).etag).toBe(md5(body))
        expect(storedBytes(log, key)).toBe(expectedStored(size, chunkKiB * 1024, cut))
        expect(store.keys()).toEqual([])
      }),
      { numRuns: Number(process.env.NUM_RUNS ?? 25) },
    )
  })
})
