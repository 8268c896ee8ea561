import { afterEach, describe, expect, it } from 'vitest'
import { NosClient, isNosErrorKind, ConnectionTimeout, ConnectionError } from '../../src/index.js'
import { retryDelay } from '../../src/core/retry-policy.js'
import { scriptedServer, type Step } from '../helpers/scripted-server.js'

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

async function setup(steps: Step[], opts: Record<string, unknown> = {}) {
  const srv = await scriptedServer(steps)
  close = srv.close
  const client = new NosClient({ accessKeyId: 'AK', accessKeySecret: 'SK', endpoint: srv.endpoint, retryBaseDelay: 1, retryMaxDelay: 5, ...opts })
  return { srv, client }
}

const ok: Step = { status: 200, headers: { etag: 'abc' } }

describe('retry decisions', () => {
  for (const status of [500, 501, 503]) {
    it(`retries ${status} and succeeds`, async () => {
      const { srv, client } = await setup([{ status }, ok])
      const r = await client.putObject({ bucket: 'bkt', key: 'k', body: 'x' })
      expect(r.etag).toBe('abc')
      expect(srv.seen).toHaveLength(2)
    })
  }

  it('retries a 503 SlowDown', async () => {
    const { srv, client } = await setup([{ status: 503, body: '<Error><Code>SlowDown</Code></Error>' }, ok])
    await client.putObject({ bucket: 'bkt', key: 'k', body: 'x' })
    expect(srv.seen).toHaveLength(2)
  })

  for (const status of [400, 403, 404, 409, 502]) {
    it(`does not retry ${status}`, async () => {
      const { srv, client } = await setup([{ status }, ok])
      await expect(client.putObject({ bucket: 'bkt', key: 'k', body: 'x' })).rejects.toMatchObject({ statusCode: status })
      expect(srv.seen).toHaveLength(1)
    })
  }

  it('makes at most maxRetries + 1 attempts (default 2 -> 3)', async () => {
    const { srv, client } = await setup([{ status: 500 }])
    await expect(client.headObject({ bucket: 'bkt', key: 'k' })).rejects.toSatisfy((e) => isNosErrorKind(e, 'InternalServerErrorError'))
    expect(srv.seen).toHaveLength(3)
  })

  it('honours maxRetries: 0', async () => {
    const { srv, client } = await setup([{ status: 503 }], { maxRetries: 0 })
    await expect(client.headObject({ bucket: 'bkt', key: 'k' })).rejects.toMatchObject({ statusCode: 503 })
    expect(srv.seen).toHaveLength(1)
  })

  it('re-signs every attempt with a fresh date', async () => {
    let t = Date.UTC(2030, 0, 1)
    const { srv, client } = await setup([{ status: 500 }, ok], { now: () => (t += 5000) })
    await client.putObject({ bucket: 'bkt', key: 'k', body: 'x' })
    expect(srv.seen[0]!.headers.date).not.toBe(srv.seen[1]!.headers.date)
    expect(srv.seen[0]!.headers.authorization).not.toBe(srv.seen[1]!.headers.authorization)
  })

  it('retries network errors (connection reset)', async () => {
    const { srv, client } = await setup([{ destroy: true }, ok])
    await client.putObject({ bucket: 'bkt', key: 'k', body: 'x' })
    expect(srv.seen).toHaveLength(2)
  })

  it('gives up on repeated network errors with ConnectionError', async () => {
    const { srv, client } = await setup([{ destroy: true }])
    const err = await client.putObject({ bucket: 'bkt', key: 'k', body: 'x' }).catch((e) => e)
    expect(err).toBeInstanceOf(ConnectionError)
    expect(err).not.toBeInstanceOf(ConnectionTimeout)
    expect(srv.seen).toHaveLength(3)
  })

  it('never retries a consumed stream body', async () => {
    const { srv, client } = await setup([{ status: 503 }, ok])
    const body = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new Uint8Array([1, 2, 3])); c.close() } })
    await expect(client.putObject({ bucket: 'bkt', key: 'k', body, contentLength: 3 })).rejects.toMatchObject({ statusCode: 503 })
    expect(srv.seen).toHaveLength(1)
    expect(srv.seen[0]!.bodyLength).toBe(3)
    expect(srv.seen[0]!.headers['content-length']).toBe('3')
  })

  it('does not retry after a user abort', async () => {
    const ctrl = new AbortController()
    // The jitter is drawn when the backoff starts: the abort lands in the (ten-minute) backoff sleep, not before it.
    const random = () => (queueMicrotask(() => ctrl.abort()), 0.99)
    const { srv, client } = await setup([{ status: 503 }, ok], { retryBaseDelay: 600_000, retryMaxDelay: 600_000, random })
    const err = await client.putObject({ bucket: 'bkt', key: 'k', body: 'x', signal: ctrl.signal }).catch((e) => e)
    expect(err.name).toBe('AbortError')
    expect(srv.seen).toHaveLength(1)
  })

  it('backoff: full jitter within [0, min(max, base * 2^n))', () => {
    expect(retryDelay(0, 300, 20_000, () => 0)).toBe(0)
    expect(retryDelay(0, 300, 20_000, () => 0.999)).toBe(299)
    expect(retryDelay(3, 300, 20_000, () => 0.5)).toBe(1200)
    expect(retryDelay(10, 300, 20_000, () => 0.999)).toBe(19_980)
    for (let n = 0; n < 12; n++) {
      const d = retryDelay(n, 300, 20_000, Math.random)
      expect(d).toBeGreaterThanOrEqual(0)
      expect(d).toBeLessThan(Math.min(20_000, 300 * 2 ** n))
    }
  })
})

describe('timeout vs abort', () => {
  it('a slow response is a ConnectionTimeout (retried, then thrown)', async () => {
    const { srv, client } = await setup([{ ...ok, hold: true }], { timeout: 100, maxRetries: 1 })
    const err = await client.headObject({ bucket: 'bkt', key: 'k' }).catch((e) => e)
    expect(err).toBeInstanceOf(ConnectionTimeout)
    expect(err.message).toMatch(/no response within 100 ms/)
    expect(srv.seen).toHaveLength(2)
  })

  it('a user abort rejects with AbortError at once, not ConnectionTimeout', async () => {
    // The server never answers; the abort comes once it holds the request, far inside the 10-minute timeout.
    const { srv, client } = await setup([{ ...ok, hold: true }], { timeout: 600_000 })
    const ctrl = new AbortController()
    const p = client.headObject({ bucket: 'bkt', key: 'k', signal: ctrl.signal }).catch((e) => e)
    await srv.requested(1)
    ctrl.abort()
    const err = await p
    expect(err.name).toBe('AbortError')
    expect(err).not.toBeInstanceOf(ConnectionTimeout)
    expect(srv.seen).toHaveLength(1)
  })

  it('an already-aborted signal sends nothing', async () => {
    const { srv, client } = await setup([ok])
    const err = await client.headObject({ bucket: 'bkt', key: 'k', signal: AbortSignal.abort() }).catch((e) => e)
    expect(err.name).toBe('AbortError')
    expect(srv.seen).toHaveLength(0)
  })
})

describe('error bodies', () => {
  it('parses an XML error body', async () => {
    const body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>gone</Message><Resource>/bkt/k</Resource><RequestId>rid1</RequestId></Error>'
    const { client } = await setup([{ status: 404, body, headers: { 'content-type': 'application/xml' } }])
    const err = await client.getObject({ bucket: 'bkt', key: 'k' }).catch((e) => e)
    expect(err).toMatchObject({ name: 'NotFoundError', statusCode: 404, errorType: 'Not Found', errorCode: 'NoSuchKey', requestId: 'rid1', resource: '/bkt/k' })
    expect(err.message).toContain('gone')
  })

  it('parses a JSON error body', async () => {
    const body = JSON.stringify({ Error: { Code: 'AccessDenied', Message: 'no', Resource: '/bkt/k', RequestId: 'rid2' } })
    const { client } = await setup([{ status: 403, body, headers: { 'content-type': 'application/json' } }])
    const err = await client.getObject({ bucket: 'bkt', key: 'k' }).catch((e) => e)
    expect(err).toMatchObject({ name: 'ForbiddenError', errorCode: 'AccessDenied', requestId: 'rid2' })
  })

  it('maps a body-less response (HEAD) by status, request id from the header', async () => {
    const { client } = await setup([{ status: 404, headers: { 'x-nos-request-id': 'hid' } }])
    const err = await client.headObject({ bucket: 'bkt', key: 'k' }).catch((e) => e)
    expect(err).toMatchObject({ name: 'NotFoundError', statusCode: 404, requestId: 'hid', errorCode: undefined, resource: '/bkt/k' })
  })

  it('never echoes a signature in a message', async () => {
    const body = '<Error><Code>SignatureDoesNotMatch</Code><Message>bad Signature=abc%2Bdef and NOS AK:c2lnbmF0dXJl</Message></Error>'
    const { client } = await setup([{ status: 403, body }])
    const err = await client.getObject({ bucket: 'bkt', key: 'k' }).catch((e) => e)
    expect(err.message).not.toContain('abc%2Bdef')
    expect(err.message).not.toContain('c2lnbmF0dXJl')
    expect(err.message).not.toContain('SK')
    expect(err.message).toContain('the SDK signed: "GET')
  })
})
