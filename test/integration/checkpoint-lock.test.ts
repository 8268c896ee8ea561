/**
 * two processes sharing a FileCheckpointStore for one destination. The second is refused with
 * UploadInProgressError naming the first's pid (the first's upload goes on untouched); once the first is gone
 * (SIGKILL), its lock is stale and the next upload takes it over and resumes. Real processes, real HTTP: the child
 * (test/fixtures/locked-upload-child.ts) uploads through a proxy that holds its second part, so it is mid-upload, lock held,
 * for as long as the test needs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { AK, SK, randomBytes, setup } from './setup.js'
import { startProxy } from '../cli/proxy.js'
import { FileCheckpointStore, NosClient, UploadInProgressError, isNosErrorKind } from '../../src/node.js'

const ROOT = resolve(import.meta.dirname, '../..')
const KiB = 1024
let emu: Awaited<ReturnType<typeof setup>>['emu']
let client: NosClient
let dir: string
beforeAll(async () => {
  ;({ emu } = await setup())
  client = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint })
  dir = await mkdtemp(join(tmpdir(), 'nos-lock-'))
})
afterAll(async () => {
  await emu.close()
  await rm(dir, { recursive: true, force: true })
})

describe('checkpoint locks', () => {
  it('regression: a second process is refused while the first uploads ("in progress in process N"); after the first dies its lock is taken over and the upload resumes', async () => {
    const file = join(dir, 'big.bin')
    await writeFile(file, randomBytes(80 * KiB, 15))
    const store = join(dir, 'ckpt')
    const proxy = await startProxy(emu.endpoint)
    const held = proxy.hold({ method: 'PUT', url: /partNumber=2&/ })
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/fixtures/locked-upload-child.ts'), proxy.endpoint, store, file, 'locked.bin'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      await held.arrived
      // The first process is mid-upload: part 1 stored, its checkpoint saved, the lock held.
      const e = await client.uploadFile({ bucket: 'bkt', key: 'locked.bin', path: file, partSize: 16 * KiB, checkpoint: new FileCheckpointStore(store) }).then(() => undefined, (x: unknown) => x as UploadInProgressError)
      expect(isNosErrorKind(e, 'UploadInProgressError') && isNosErrorKind(e, 'ClientException')).toBe(true)
      expect(e?.message).toMatch(new RegExp(`^an upload of this destination \\(nos-upload:bkt:locked\\.bin\\) is in progress in process ${child.pid} since \\S+: wait for it, or stop it; if no such upload is running, remove the lock file ${store.replace(/[/.]/g, '\\$&')}/[0-9a-f]{40}\\.lock$`))
      expect(e?.owner.pid).toBe(child.pid)
      // Nothing of the first upload was touched: no abort, no part sent by the second.
      expect(emu.requests.filter((r) => r.op === 'abortMultipartUpload' || r.op === 'initiateMultipartUpload')).toHaveLength(1)
      expect((await client.listMultipartUploads({ bucket: 'bkt' })).uploads.map((u) => u.key)).toEqual(['locked.bin'])

      child.kill('SIGKILL')
      await once(child, 'exit')
      held.release()
      const r = await client.uploadFile({ bucket: 'bkt', key: 'locked.bin', path: file, partSize: 16 * KiB, checkpoint: new FileCheckpointStore(store) })
      expect(r).toMatchObject({ partsTotal: 5, partsSent: 4 })
      expect((await readdir(store)).filter((f) => f.endsWith('.lock') || f.endsWith('.json'))).toEqual([])
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      await proxy.close()
    }
  })

  it('two uploads of one destination in one process: the second is refused ("this process"), the first completes; the lock goes with it', async () => {
    const file = join(dir, 'twice.bin')
    await writeFile(file, randomBytes(40 * KiB, 16))
    const store = new FileCheckpointStore(join(dir, 'ckpt2'))
    const params = { bucket: 'bkt', key: 'twice.bin', path: file, partSize: 16 * KiB, checkpoint: store }
    const outcomes = await Promise.allSettled([client.uploadFile(params), client.uploadFile(params)])
    // Whichever took the lock first completes; the other is refused.
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')
    expect(isNosErrorKind(refused?.reason, 'UploadInProgressError')).toBe(true)
    expect(refused?.reason.message).toContain(`in progress in this process (${process.pid})`)
    expect(existsSync(join(dir, 'ckpt2')) && (await readdir(join(dir, 'ckpt2'))).filter((f) => f.endsWith('.lock'))).toEqual([])
    expect((await client.uploadFile(params)).size).toBe(40 * KiB)
  })
})
