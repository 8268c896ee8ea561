import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { resolveRetryPolicy, isRetryable, backoff, RETRY_STATUSES } from '../../src/core/retry-policy.js'
import { ConnectionError, ConnectionTimeout, NosClient, InvalidArgument } from '../../src/index.js'

describe('the retry policy', () => {
  it('defaults follow the seed: 2 retries, 500/501/503 and SlowDown, 300 ms .. 20 s, parts one retry more', () => {
    const p = resolveRetryPolicy({})
    expect(p).toMatchObject({ maxRetries: 2, partRetries: 3, baseDelay: 300, maxDelay: 20_000 })
    expect([...p.statuses]).toEqual([...RETRY_STATUSES])
    expect([...p.codes]).toEqual(['SlowDown'])
    expect(Object.isFrozen(p)).toBe(true)
  })

  it('the existing client options feed it; retry.* wins over them', () => {
    const random = () => 0.5
    expect(resolveRetryPolicy({ maxRetries: 5, retryBaseDelay: 7, retryMaxDelay: 9, random })).toMatchObject({ maxRetries: 5, partRetries: 6, baseDelay: 7, maxDelay: 9, random })
    expect(resolveRetryPolicy({ maxRetries: 5, retry: { maxRetries: 1, partRetries: 8, baseDelay: 2 } })).toMatchObject({ maxRetries: 1, partRetries: 8, baseDelay: 2 })
    const cfg = new NosClient({ maxRetries: 4, retry: { statuses: [503], codes: [] } }).config
    expect(cfg.retry.maxRetries).toBe(4)
    expect(cfg.maxRetries).toBe(4)
    expect([...cfg.retry.statuses]).toEqual([503])
  })

  it('bad options are InvalidArgument naming the option', () => {
    const cases: [unknown, RegExp][] = [
      [{ maxRetries: -1 }, /^option maxRetries must be a non-negative integer/],
      [{ retry: { maxRetries: 1.5 } }, /^option retry\.maxRetries/],
      [{ retry: { partRetries: -2 } }, /^option retry\.partRetries/],
      [{ retry: { statuses: [200, 'x'] } }, /^option retry\.statuses/],
      [{ retry: { statuses: 503 } }, /^option retry\.statuses/],
      [{ retry: { codes: [''] } }, /^option retry\.codes/],
      [{ retry: { random: 1 } }, /^option retry\.random must be a function/],
      [{ retry: 'often' }, /^option retry must be an object/],
      [{ retryMaxDelay: 'x' }, /^option retryMaxDelay/],
    ]
    for (const [opts, re] of cases) {
      const err = (() => { try { new NosClient(opts as never) } catch (e) { return e } })()
      expect(err).toBeInstanceOf(InvalidArgument)
      expect((err as Error).message).toMatch(re)
    }
  })

  it('one decision: network errors and timeouts yes, aborts and other errors no, statuses and codes as listed', () => {
    const p = resolveRetryPolicy({ retry: { statuses: [503], codes: ['RequestTimeout'] } })
    expect(isRetryable(p, { error: new ConnectionError('reset') })).toBe(true)
    expect(isRetryable(p, { error: new ConnectionTimeout('slow') })).toBe(true)
    expect(isRetryable(p, { error: new DOMException('stop', 'AbortError') })).toBe(false)
    expect(isRetryable(p, { error: new TypeError('bug') })).toBe(false)
    expect(isRetryable(p, { status: 503 })).toBe(true)
    expect(isRetryable(p, { status: 500 })).toBe(false)
    expect(isRetryable(p, { status: 400, code: 'RequestTimeout' })).toBe(true)
  })

  it('property: the backoff is full jitter within [0, min(maxDelay, baseDelay * 2^n))', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(100_000), fc.nat(40), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (base, max, n, r) => {
        const d = backoff(resolveRetryPolicy({ retry: { baseDelay: base, maxDelay: max, random: () => r } }), n)
        expect(d).toBeGreaterThanOrEqual(0)
        expect(d).toBeLessThanOrEqual(Math.max(0, Math.min(max, base * 2 ** n)))
        expect(Number.isInteger(d)).toBe(true)
      }),
      { numRuns: 200 },
    )
  })
})
