/**
 * src/core/response-body.ts: buffered bodies read under a byte limit, a timeout and a signal; what is not read is
 * cancelled; an error document cut at the limit still yields its fields.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_ERROR_BODY_BYTES, MAX_XML_BODY_BYTES, readBodyText, truncatedErrorFields, withoutEmptyBody } from '../../src/core/response-body.js'
import { ConnectionError, ConnectionTimeout, XmlParseError } from '../../src/core/errors.js'
import { caught, rejected } from '../helpers/caught.js'

/** A response whose body yields `chunks`, then ends (or stays open with `open`); `cancelled` tells whether it was. */
function responseOf(chunks: Uint8Array[], opts: { open?: boolean; fail?: Error } = {}) {
  let cancelled = false
  let i = 0
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) return c.enqueue(chunks[i++]!)
      if (opts.fail) return c.error(opts.fail)
      if (!opts.open) c.close()
      return new Promise<void>(() => {})
    },
    cancel() {
      cancelled = true
    },
  }, { highWaterMark: 0 })
  return { res: new Response(body), cancelled: () => cancelled }
}
const utf8 = (s: string) => new TextEncoder().encode(s)

describe('limits', () => {
  it('16 KiB of an error document, 16 MiB of an XML result', () => {
    expect([MAX_ERROR_BODY_BYTES, MAX_XML_BODY_BYTES]).toEqual([16 * 1024, 16 * 1024 * 1024])
  })
})

describe('readBodyText', () => {
  it('an absent body is empty text', async () => {
    expect(await readBodyText(new Response(null), { limit: 10 })).toEqual({ text: '', truncated: false })
  })

  it('exactly `limit` bytes are read whole', async () => {
    const { res, cancelled } = responseOf([utf8('abc'), utf8('de')])
    expect(await readBodyText(res, { limit: 5 })).toEqual({ text: 'abcde', truncated: false })
    expect(cancelled()).toBe(false)
  })

  it('one byte more is an XmlParseError ResponseTooLarge, the rest cancelled', async () => {
    const { res, cancelled } = responseOf([utf8('abc'), utf8('def')], { open: true })
    const e = await rejected(readBodyText(res, { limit: 5, what: 'GET /bkt/' }))
    expect(e).toBeInstanceOf(XmlParseError)
    expect(e).toMatchObject({ errorCode: 'ResponseTooLarge', message: 'GET /bkt/: the body is longer than 5 bytes, the most this SDK buffers' })
    expect(cancelled()).toBe(true)
  })

  it('with truncate, the first `limit` bytes are kept and the rest cancelled', async () => {
    const { res, cancelled } = responseOf([utf8('abc'), utf8('def'), utf8('ghi')], { open: true })
    expect(await readBodyText(res, { limit: 5, truncate: true })).toEqual({ text: 'abcde', truncated: true })
    expect(cancelled()).toBe(true)
  })

  it('a body that never ends is a ConnectionTimeout after `timeout` ms, and is cancelled', async () => {
    const { res, cancelled } = responseOf([utf8('<Err')], { open: true })
    const e = await rejected(readBodyText(res, { limit: 100, timeout: 20, what: 'GET /bkt/k' }))
    expect(e).toBeInstanceOf(ConnectionTimeout)
    expect(e.message).toBe('GET /bkt/k: the body did not arrive within 20 ms')
    expect(cancelled()).toBe(true)
  })

  it('an abort rejects with the signal\'s reason, mid-body or before', async () => {
    const ctrl = new AbortController()
    const { res, cancelled } = responseOf([utf8('x')], { open: true })
    const reading = rejected(readBodyText(res, { limit: 100, signal: ctrl.signal }))
    const reason = new Error('stop')
    ctrl.abort(reason)
    expect(await reading).toBe(reason)
    expect(cancelled()).toBe(true)
    const gone = AbortSignal.abort(new Error('before'))
    expect((await rejected(readBodyText(new Response('x'), { limit: 1, signal: gone }))).message).toBe('before')
  })

  it('a connection that breaks mid-body is a ConnectionError carrying the cause', async () => {
    const cause = new TypeError('terminated')
    const { res } = responseOf([utf8('<Er')], { fail: cause })
    const e = await rejected(readBodyText(res, { limit: 100 }))
    expect(e).toBeInstanceOf(ConnectionError)
    expect(e).not.toBeInstanceOf(ConnectionTimeout)
    expect(e.message).toBe('the response: the connection broke while reading the body: TypeError: terminated')
    expect(e.cause).toBe(cause)
  })

  it('property: any UTF-8 text in any chunking reads back whole under the limit, cut to the limit with truncate', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }), async (s, cuts) => {
        const bytes = utf8(s)
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
        const chunks = [0, ...points].map((p, i, all) => bytes.subarray(p, all[i + 1] ?? bytes.length)).filter((c) => c.length)
        expect(await readBodyText(responseOf(chunks).res, { limit: bytes.length })).toEqual({ text: s, truncated: false })
        if (bytes.length > 1) {
          const cut = await readBodyText(responseOf(chunks).res, { limit: bytes.length - 1, truncate: true })
          expect(cut).toEqual({ text: new TextDecoder().decode(bytes.subarray(0, bytes.length - 1)), truncated: true })
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('withoutEmptyBody', () => {
  it('a Content-Length: 0 response gets body null; its text and headers are untouched; others keep their body', async () => {
    const empty = withoutEmptyBody(new Response('', { headers: { 'content-length': '0', etag: '"x"' } }))
    expect(empty.body).toBeNull()
    expect([await empty.text(), empty.headers.get('etag')]).toEqual(['', '"x"'])
    expect(withoutEmptyBody(new Response('abc', { headers: { 'content-length': '3' } })).body).toBeInstanceOf(ReadableStream)
    expect(withoutEmptyBody(new Response('abc')).body).toBeInstanceOf(ReadableStream)
  })
})

describe('truncatedErrorFields', () => {
  it('reads the complete fields of a cut error document, entities decoded', () => {
    expect(truncatedErrorFields('<Error><Code>AccessDenied</Code><Message>a &lt;b&gt; &amp;&quot;&apos;</Message><Resource>/b/k</Resource><RequestId>r1</RequestId><Str')).toEqual({
      Code: 'AccessDenied', Message: `a <b> &"'`, Resource: '/b/k', RequestId: 'r1',
    })
    expect(truncatedErrorFields('<Error><Code>AccessDenied</Code><Message>aaaa')).toEqual({ Code: 'AccessDenied' })
    expect(truncatedErrorFields('<Error><Code>X</Code><Message>&amp;lt;</Message>')).toEqual({ Code: 'X', Message: '&lt;' })
  })

  it('without a complete <Code> it throws XmlParseError', () => {
    const e = caught(() => truncatedErrorFields('<Error><Code>AccessDen'))
    expect(e).toBeInstanceOf(XmlParseError)
    expect(e.message).toBe('no complete <Code> in the part of the error body read')
  })
})
