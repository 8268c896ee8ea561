/**
 * One retry policy for every request, parts included (no second loop stacked on the transport's), and every
 * wait abortable: abort() and pause() settle at once, also in the middle of a backoff.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { AK, SK, randomBytes, setup } from './setup.js'
import { NosClient, UploadPausedError, type NosClientOptions } from '../../src/index.js'
import type { FaultAction } from '../../src/emulator/index.js'

let emu: Awaited<ReturnType<typeof setup>>['emu']
beforeAll(async () => ({ emu } = await setup()))
afterAll(async () => emu.close())

const KiB = 1024
const clientWith = (opts: NosClientOptions) => new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint, ...opts })
const fast = { retryBaseDelay: 0, retryMaxDelay: 0 }
const partRequests = () => emu.requests.filter((r) => r.op === 'uploadPart')
/** What each fault action makes a call reject with, once its attempts are spent. */
const EXPECTED_ERROR: Record<string, object> = {
  error500: { name: 'InternalServerErrorError', statusCode: 500, errorCode: 'InternalError' },
  error501: { name: 'NotImplementedError', statusCode: 501, errorCode: 'NotImplemented' },
  error503: { name: 'ServiceUnavailableError', statusCode: 503, errorCode: 'ServiceUnavailable' },
  slowDown: { name: 'ServiceUnavailableError', statusCode: 503, errorCode: 'SlowDown' },
  reset: { name: 'ConnectionError', statusCode: undefined },
}
const pending = async (client: NosClient) => (await client.listMultipartUploads({ bucket: 'bkt' })).uploads

/** A client whose backoffs last ten minutes; `backoff` resolves when the first one starts (the jitter is drawn). */
function slowRetryClient() {
  let started!: () => void
  const backoff = new Promise<void>((r) => (started = r))
  const client = clientWith({ retry: { baseDelay: 600_000, maxDelay: 600_000, random: () => (started(), 0.99) } })
  return { client, backoff }
}

describe('one retry policy', () => {
  it('regression: a failing part is attempted partRetries + 1 times, not (maxRetries + 1) x (partRetries + 1)', async () => {
    emu.clearRequestLog()
    emu.setFaults({ rules: [{ match: { op: 'uploadPart' }, action: 'error503' }] })
    try {
      const client = clientWith({ ...fast, maxRetries: 2 })
      await expect(client.upload({ bucket: 'bkt', key: 'attempts', body: randomBytes(64 * KiB, 1), partSize: 16 * KiB, concurrency: 1 })).rejects.toMatchObject({ statusCode: 503 })
      expect(partRequests()).toHaveLength(2 + 1 + 1) // partRetries defaults to maxRetries + 1
      emu.clearRequestLog()
      await expect(client.upload({ bucket: 'bkt', key: 'attempts', body: randomBytes(64 * KiB, 1), partSize: 16 * KiB, concurrency: 1, partRetries: 0 })).rejects.toMatchObject({ statusCode: 503 })
      expect(partRequests()).toHaveLength(1)
    } finally {
      emu.setFaults()
    }
  })

  it('regression: parts retry only what the policy retries (a 500 is final when retry.statuses is [503])', async () => {
    emu.clearRequestLog()
    emu.setFaults({ rules: [{ match: { op: 'uploadPart', nth: [2] }, action: 'error500' }] })
    try {
      const client = clientWith({ ...fast, retry: { statuses: [503] } })
      await expect(client.upload({ bucket: 'bkt', key: 'statuses', body: randomBytes(64 * KiB, 2), partSize: 16 * KiB, concurrency: 1 })).rejects.toMatchObject({ statusCode: 500 })
      expect(partRequests()).toHaveLength(2)
      expect(await pending(client)).toEqual([])
    } finally {
      emu.setFaults()
    }
  })

  it('property: attempts = budget + 1 for what the policy retries, 1 for the rest, single calls and parts alike', async () => {
    const actions: FaultAction[] = ['error500', 'error501', 'error503', 'slowDown', 'reset']
    await fc.assert(
      fc.asyncProperty(fc.nat(3), fc.nat(4), fc.constantFrom(...actions), fc.subarray([500, 501, 503]), async (maxRetries, partRetries, action, statuses) => {
        const client = clientWith({ ...fast, retry: { maxRetries, partRetries, statuses } })
        const retried = action === 'reset' || action === 'slowDown' || statuses.includes({ error500: 500, error501: 501, error503: 503 }[action as 'error500'] ?? 0)
        const thrown = EXPECTED_ERROR[action]!
        emu.setFaults({ rules: [{ match: { op: ['uploadPart', 'putObject'] }, action }] })
        try {
          emu.clearRequestLog()
          await expect(client.putObject({ bucket: 'bkt', key: 'prop-attempts', body: 'x' })).rejects.toMatchObject(thrown)
          expect(emu.requests.filter((r) => r.op === 'putObject')).toHaveLength(retried ? maxRetries + 1 : 1)
          emu.clearRequestLog()
          await expect(client.upload({ bucket: 'bkt', key: 'prop-attempts', body: new Uint8Array(40 * KiB), partSize: 16 * KiB, concurrency: 1 })).rejects.toMatchObject(thrown)
          expect(partRequests()).toHaveLength(retried ? partRetries + 1 : 1)
        } finally {
          emu.setFaults()
        }
      }),
      { numRuns: 20, seed: 11 },
    )
    expect(await pending(clientWith({}))).toEqual([])
  })
})

describe('every wait is abortable', () => {
  it('regression: abort() in the middle of a 10-minute backoff settles at once and leaves no upload behind', async () => {
    emu.setFaults({ rules: [{ match: { op: 'uploadPart' }, action: 'error503' }] })
    try {
      const { client, backoff } = slowRetryClient()
      const up = client.upload({ bucket: 'bkt', key: 'abort-backoff', body: randomBytes(64 * KiB, 3), partSize: 16 * KiB })
      const outcome = up.then(() => undefined, (e: any) => e)
      await backoff
      const t0 = performance.now()
      await up.abort()
      const ms = performance.now() - t0
      // The target is 100 ms (bench: retry-abort); the bound here only has to be far below the backoff.
      expect(ms).toBeLessThan(5_000)
      expect((await outcome)?.name).toBe('AbortError')
      expect(await pending(client)).toEqual([])
    } finally {
      emu.setFaults()
    }
  })

  it('regression: pause() in the middle of a 10-minute backoff resolves with the checkpoint at once', async () => {
    emu.setFaults({ rules: [{ match: { op: 'uploadPart', nth: [3] }, action: 'error503' }] })
    try {
      const { client, backoff } = slowRetryClient()
      const up = client.upload({ bucket: 'bkt', key: 'pause-backoff', body: randomBytes(64 * KiB, 4), partSize: 16 * KiB, concurrency: 1 })
      const outcome = up.then(() => undefined, (e: any) => e)
      await backoff
      const t0 = performance.now()
      const cp = await up.pause()
      expect(performance.now() - t0).toBeLessThan(5_000)
      expect(await outcome).toBeInstanceOf(UploadPausedError)
      expect(cp.parts.map((p) => p.partNum)).toEqual([1, 2])
      await client.abortMultipartUpload({ bucket: 'bkt', key: 'pause-backoff', uploadId: cp.uploadId })
    } finally {
      emu.setFaults()
    }
  })

  it('regression: a caller signal aborts a single call in the middle of its backoff', async () => {
    emu.setFaults({ rules: [{ match: { op: 'putObject' }, action: 'error503' }] })
    try {
      const { client, backoff } = slowRetryClient()
      const ctrl = new AbortController()
      const put = client.putObject({ bucket: 'bkt', key: 'put-backoff', body: 'x', signal: ctrl.signal }).catch((e) => e)
      await backoff
      const t0 = performance.now()
      ctrl.abort()
      expect((await put).name).toBe('AbortError')
      expect(performance.now() - t0).toBeLessThan(5_000)
    } finally {
      emu.setFaults()
    }
  })
})
