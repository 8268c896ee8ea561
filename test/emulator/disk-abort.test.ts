/**
 * The disk store discards an aborted write completely, whatever the timing: a stream destroyed while its file was
 * still being opened created the file after the unlink, and `tmp/` kept a `.part` file after a refused upload
 * (seen as a flaky "a failed upload leaves nothing behind" on a loaded machine).
 */
import fc from 'fast-check'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { diskBackend } from '../../src/emulator/store-disk.js'

let dir: string
let backend: ReturnType<typeof diskBackend>
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nos-disk-abort-'))
  backend = diskBackend(dir)
  await backend.load()
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('disk blob writes that are aborted', () => {
  it('an abort right after create (the file still opening) leaves no .part file in tmp/', async () => {
    const writer = await backend.blobs.create()
    await writer.abort()
    expect(await readdir(join(dir, 'tmp'))).toEqual([])
  })

  it('any number of writes then an abort leaves tmp/ empty (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 4096 }), { maxLength: 4 }), async (sizes) => {
        const writer = await backend.blobs.create()
        for (const n of sizes) await writer.write(Buffer.alloc(n))
        await writer.abort()
        expect(await readdir(join(dir, 'tmp'))).toEqual([])
      }),
      { numRuns: 25, seed: 4 },
    )
  })
})
