/**
 * No listener leaks: a caller's AbortSignal shared by many calls holds one listener per call in flight
 * and none once they settle. The transport is the unit here: fetch is injected (no network), every outcome kind
 * is covered (bodies read, bodies never read, errors, retries, network failures).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { NosClient } from '../../src/index.js'
import { abortableSleep, linkSignals } from '../../src/core/signals.js'
import { countingSignal } from '../helpers/counting-signal.js'

type Outcome = 'ok' | 'notFound' | 'retryThenOk' | 'networkThenOk' | 'serverError'

/** A fetch answering by the key's name: `<outcome>/...`; it honours its signal like a real fetch. */
function fakeFetch(): typeof fetch {
  const seen = new Map<string, number>()
  return async (input, init) => {
    init?.signal?.throwIfAborted()
    const url = new URL(String(input))
    const outcome = decodeURIComponent(url.pathname).split('/')[2] as Outcome
    const n = (seen.get(url.pathname) ?? 0) + 1
    seen.set(url.pathname, n)
    const headers = { 'x-nos-request-id': 'r', etag: '"0cc175b9c0f1b6a831c399e269772661"', 'content-type': 'text/plain' }
    if (outcome === 'notFound') return new Response('<Error><Code>NoSuchKey</Code></Error>', { status: 404, headers })
    if (outcome === 'serverError') return new Response('<Error><Code>InternalError</Code></Error>', { status: 500, headers })
    if (outcome === 'retryThenOk' && n === 1) return new Response('busy', { status: 503, headers })
    if (outcome === 'networkThenOk' && n === 1) throw new TypeError('fetch failed')
    if (init?.method === 'HEAD') return new Response(null, { status: 200, headers: { ...headers, 'content-length': '1' } })
    if (init?.method === 'GET' && url.search.includes('prefix')) return new Response('<ListBucketResult><Name>b</Name></ListBucketResult>', { headers })
    return new Response(init?.method === 'GET' ? 'a' : '', { status: 200, headers })
  }
}

const client = () => new NosClient({ endpoint: 'http://127.0.0.1:9', fetch: fakeFetch(), retryBaseDelay: 0, retryMaxDelay: 0 })

/** One call of kind `op` with `outcome`, sharing `signal`; settles whatever happens. */
function call(c: NosClient, op: number, outcome: Outcome, i: number, signal: AbortSignal): Promise<unknown> {
  const key = `${outcome}/k${i}`
  const calls = [
    () => c.headObject({ bucket: 'bkt', key, signal }),
    () => c.getObject({ bucket: 'bkt', key, signal }).then((o) => o.text()),
    () => c.putObject({ bucket: 'bkt', key, body: 'a', signal }),
    () => c.deleteObject({ bucket: 'bkt', key, signal }),
    () => c.listObjects({ bucket: 'bkt', prefix: outcome, signal }),
    () => c.getObject({ bucket: 'bkt', key, signal }).then((o) => o.body.cancel()),
  ]
  return calls[op % calls.length]!().catch((e: unknown) => e)
}

describe('no listener leaks on a shared AbortSignal', () => {
  it('regression: 10,000 operations sharing one signal leave it with no listeners', async () => {
    const s = countingSignal()
    const c = client()
    // Mostly successes (the common case), every kind of failure in between.
    const outcomes: Outcome[] = [...Array<Outcome>(16).fill('ok'), 'notFound', 'retryThenOk', 'networkThenOk', 'serverError']
    for (let batch = 0; batch < 40; batch++) {
      await Promise.all(Array.from({ length: 250 }, (_, j) => {
        const i = batch * 250 + j
        return call(c, i, outcomes[Math.floor(i / 6) % outcomes.length]!, i, s.signal)
      }))
    }
    expect(s.added).toBeGreaterThan(0) // the counter sees the SDK's listener...
    expect(s.peak).toBe(1) // ...one for all the calls in flight (Node warns past 10)...
    expect(s.live).toBe(0) // ...and none once they settled
  })

  it('a getObject body never read keeps the link until it is read or cancelled (the caller owns the stream)', async () => {
    const s = countingSignal()
    const c = client()
    const a = await c.getObject({ bucket: 'bkt', key: 'ok/a', signal: s.signal })
    const b = await c.getObject({ bucket: 'bkt', key: 'ok/b', signal: s.signal })
    expect(s.live).toBe(1)
    await a.text()
    expect(s.live).toBe(1)
    await b.body.cancel()
    expect(s.live).toBe(0)
  })

  it('aborting the shared signal still aborts a body being read', async () => {
    const s = countingSignal()
    // As fetch does: aborting the request's signal errors the body of its response.
    const c = new NosClient({ endpoint: 'http://127.0.0.1:9', fetch: async (_u, init) => {
      let ctl!: ReadableStreamDefaultController<Uint8Array>
      const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctl = c), pull: () => new Promise(() => {}) })
      init?.signal?.addEventListener('abort', () => ctl.error(init.signal!.reason))
      return new Response(body, { status: 200 })
    } })
    const obj = await c.getObject({ bucket: 'bkt', key: 'k', signal: s.signal })
    const reading = obj.text().catch((e) => e)
    s.controller.abort()
    expect(await reading).toMatchObject({ name: 'AbortError' })
    expect(s.live).toBe(0)
  })

  it('property: any mix of calls and outcomes sharing a signal leaves it with no listeners', async () => {
    const outcome = fc.constantFrom<Outcome>('ok', 'notFound', 'retryThenOk', 'networkThenOk', 'serverError')
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(5), outcome), { minLength: 1, maxLength: 40 }), async (ops) => {
        const s = countingSignal()
        const c = client()
        await Promise.all(ops.map(([op, o], i) => call(c, op, o, i, s.signal)))
        expect(s.live).toBe(0)
        expect(s.peak).toBeLessThanOrEqual(1)
      }),
      { numRuns: 60, seed: 11 },
    )
  })

  it('linkSignals: the abort of a parent reaches every child with its reason; dispose unlinks; the last child removes the listener', () => {
    const s = countingSignal()
    const a = linkSignals([s.signal])
    const b = linkSignals([s.signal, undefined])
    const c = linkSignals([s.signal])
    expect(s.live).toBe(1)
    c.dispose()
    c.dispose()
    s.controller.abort('why')
    expect([a.signal.reason, b.signal.reason, c.signal.aborted]).toEqual(['why', 'why', false])
    expect(s.live).toBe(0)
    expect(linkSignals([s.signal]).signal.reason).toBe('why') // an aborted parent aborts the child at once
    const other = countingSignal()
    const both = linkSignals([other.signal, countingSignal().signal])
    both.abort('own')
    expect(other.live).toBe(0) // an aborted child lets go of its parents
  })

  it('abortableSleep rejects at once on abort and leaves no listener either way', async () => {
    const s = countingSignal()
    await abortableSleep(1, s.signal)
    expect(s.live).toBe(0)
    const sleeping = abortableSleep(600_000, s.signal).catch((e) => e)
    expect(s.live).toBe(1)
    s.controller.abort(new DOMException('stop', 'AbortError'))
    expect(await sleeping).toMatchObject({ name: 'AbortError' })
    expect(s.live).toBe(0)
  })
})
