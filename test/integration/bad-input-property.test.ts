/**
 * Property (bad input): a wrong value in any checked argument is a typed ClientException naming the
 * argument, thrown before any request reaches the emulator. Values are drawn from pools that are wrong for the
 * argument whatever is drawn (wrong types, NaN, negatives, fractions, out-of-range integers).
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NosClient, isNosErrorKind } from '../../src/index.js'
import { setup } from './setup.js'

let emu: Awaited<ReturnType<typeof setup>>['emu']
let client: NosClient
beforeAll(async () => ({ emu, client } = await setup({}, { maxRetries: 0 })))
afterAll(() => emu.close())

const notBoolean = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant({}), fc.constant([]), fc.constant(NaN))
const notLength = fc.oneof(fc.integer({ max: -1 }), fc.double({ noInteger: true }), fc.constant(NaN), fc.constant(Infinity), fc.string(), fc.constant(null), fc.constant(2 ** 53))
const notSignal = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant({}), fc.constant({ aborted: 'no' }), fc.constant([]))
const notFunction = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant({}))
const notExpires = fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 604801 }), fc.double({ noInteger: true }), fc.constant(NaN), fc.constant(1e21), fc.string())
const badRange = fc.oneof(
  fc.tuple(fc.nat(1e9), fc.nat(1e9)).filter(([a, b]) => b < a).map(([a, b]) => `bytes=${a}-${b}`),
  fc.string().filter((s) => !/^bytes=(\d+-\d*|-\d+)$/.test(s.trim())),
)
const badKey = fc.oneof(
  fc.constantFrom('.', '..', '', 'a\uD800', '\uDC00b'),
  fc.string({ unit: 'grapheme', minLength: 1001, maxLength: 1100 }),
)

type Call = (c: NosClient, v: unknown) => unknown
const CASES: Array<[string, fc.Arbitrary<unknown>, Call]> = [
  ['signal', notSignal, (c, v) => c.headObject({ bucket: 'bkt', key: 'k', signal: v as AbortSignal })],
  ['signal', notSignal, (c, v) => c.upload({ bucket: 'bkt', key: 'k', body: 'x', signal: v as AbortSignal })],
  ['quiet', notBoolean, (c, v) => c.deleteObjects({ bucket: 'bkt', keys: ['a'], quiet: v as boolean })],
  ['contentMd5', notBoolean, (c, v) => c.putObject({ bucket: 'bkt', key: 'k', body: 'x', contentMd5: v as boolean })],
  ['keepPartsOnError', notBoolean, (c, v) => c.upload({ bucket: 'bkt', key: 'k', body: 'x', keepPartsOnError: v as boolean })],
  ['multipartThreshold', notLength, (c, v) => c.upload({ bucket: 'bkt', key: 'k', body: 'x', multipartThreshold: v as number })],
  ['contentLength', notLength, (c, v) => c.upload({ bucket: 'bkt', key: 'k', body: new ReadableStream(), contentLength: v as number })],
  ['contentLength', notLength, (c, v) => c.putObject({ bucket: 'bkt', key: 'k', body: new ReadableStream(), contentLength: v as number })],
  ['onProgress', notFunction, (c, v) => c.upload({ bucket: 'bkt', key: 'k', body: 'x', onProgress: v as never })],
  ['expires', notExpires, (c, v) => c.presignUrl({ bucket: 'bkt', key: 'k', expires: v as number })],
  ['range', badRange, (c, v) => c.getObject({ bucket: 'bkt', key: 'k', range: v as string })],
  ['key', badKey, (c, v) => c.getObject({ bucket: 'bkt', key: v as string })],
  ['option pathStyle', notBoolean, (_c, v) => new NosClient({ pathStyle: v as boolean })],
  ['option useNosDate', notBoolean, (_c, v) => new NosClient({ useNosDate: v as boolean })],
  ['option contentMd5', notBoolean, (_c, v) => new NosClient({ contentMd5: v as boolean })],
]

describe('bad input (property)', () => {
  it('is a ClientException naming the argument, before any request', async () => {
    const pick = fc.integer({ min: 0, max: CASES.length - 1 }).chain((i) => fc.tuple(fc.constant(i), CASES[i]![1]))
    await fc.assert(
      fc.asyncProperty(pick, async ([i, value]) => {
        const [arg, , call] = CASES[i]!
        emu.clearRequestLog()
        const err = await (async () => call(client, value))().then(() => undefined, (e: unknown) => e)
        expect(isNosErrorKind(err, 'ClientException'), `${arg} = ${String(value)}: ${String(err)}`).toBe(true)
        expect((err as Error).message).toContain(arg)
        expect(emu.requests).toHaveLength(0)
      }),
      { numRuns: 300, seed: 5 },
    )
  })
})
