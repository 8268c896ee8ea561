/**
 * An upload from a stream whose producer is still running (stdin of `producer | nos cp -`) is aborted while it waits
 * for the stream's next bytes: the abort settles at once (the pending read is ended by destroying the Node stream;
 * its iterator's return() would wait behind that read forever), and nothing is left on NOS.
 */
import { PassThrough } from 'node:stream'
import { afterAll, expect, it } from 'vitest'
import { NosClient } from '../../src/index.js'
import { startEmulator } from '../../src/emulator/index.js'

const emu = await startEmulator({ port: 0, credentials: [{ accessKeyId: 'AK', accessKeySecret: 'SK' }], buckets: ['bkt'] })
afterAll(() => emu.close())

it('abort() while the next part waits on a stream left open settles, and aborts the upload on NOS', async () => {
  const client = new NosClient({ accessKeyId: 'AK', accessKeySecret: 'SK', endpoint: emu.endpoint })
  const source = new PassThrough()
  source.write(Buffer.alloc(40 * 1024, 1)) // two and a half parts, then nothing: the producer is still running
  let aborting: Promise<void> | undefined
  const up = client.upload({
    bucket: 'bkt', key: 'open.bin', body: source, partSize: 16 * 1024, concurrency: 1,
    onProgress: (p) => void (p.partsDone === 2 && (aborting ??= up.abort())),
  })
  await expect(up).rejects.toMatchObject({ name: 'AbortError' })
  await aborting
  expect(source.destroyed).toBe(true)
  expect((await client.listMultipartUploads({ bucket: 'bkt' })).uploads).toEqual([])
})
