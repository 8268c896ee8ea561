/**
 * src/core/validate.ts: the argument checks every call runs before a request. Boundaries exact (bucket 3-63
 * characters, key 1-1000 UTF-8 bytes, safe integers), each refusal typed and worded to name the argument.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as v from '../../src/core/validate.js'
import * as limits from '../../src/core/limits.js'
import { InvalidArgument, InvalidBucketName, InvalidObjectName } from '../../src/core/errors.js'
import { caught } from '../helpers/caught.js'

function refused(f: () => unknown, cls: new (...a: never[]) => Error = InvalidArgument): string {
  const e = caught(f)
  expect(e).toBeInstanceOf(cls)
  return e.message
}

describe('limits', () => {
  it('are NOS\'s', () => {
    expect([limits.MAX_KEY_BYTES, limits.MAX_PART_NUMBER, limits.MAX_LIST_LIMIT, limits.MAX_DELETE_KEYS, limits.MAX_PUT_SIZE]).toEqual([1000, 10_000, 1000, 1000, 104_857_600])
  })
})

describe('show', () => {
  it('quotes strings, cut at 80 characters; other values by type', () => {
    expect(v.show('a"b')).toBe('"a\\"b"')
    expect(v.show('x'.repeat(80))).toBe(`"${'x'.repeat(80)}"`)
    expect(v.show('x'.repeat(81))).toBe(`"${'x'.repeat(80)}..."`)
    expect([null, undefined, 1, {}, [], () => 1].map(v.show)).toEqual(['null', 'undefined', 'number', 'object', 'object', 'function'])
  })
})

describe('checkBucket', () => {
  it('accepts 3 and 63 characters of a-z 0-9 -, alphanumeric at both ends', () => {
    for (const b of ['abc', '0-9', 'a'.repeat(63), 'my-bucket-1']) expect(v.checkBucket(b)).toBe(b)
  })

  it('refuses the rest with InvalidBucketName', () => {
    const rule = "use 3-63 characters a-z, 0-9 and '-', starting and ending with a letter or digit, without '--'"
    for (const b of ['ab', 'a'.repeat(64), 'Abc', 'a_b', '-ab', 'ab-', 'a--b', 'a.b', 'b', 'ab ']) {
      expect(refused(() => v.checkBucket(b), InvalidBucketName)).toBe(`bucket ${JSON.stringify(b)} is not a valid NOS bucket name: ${rule}`)
    }
    expect(refused(() => v.checkBucket(''), InvalidBucketName)).toBe(`bucket is required: a bucket name of 3-63 characters a-z, 0-9 and '-', got ""`)
    expect(refused(() => v.checkBucket(undefined, 'srcBucket'), InvalidBucketName)).toBe(`srcBucket is required: a bucket name of 3-63 characters a-z, 0-9 and '-', got undefined`)
  })

  it('property: accepts exactly the names the rule describes', () => {
    const byRule = (b: string) =>
      b.length >= 3 && b.length <= 63 && /^[a-z0-9-]*$/.test(b) && /^[a-z0-9]/.test(b) && /[a-z0-9]$/.test(b) && !b.includes('--')
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'z', '0', '9', '-', 'A', '_', '.'), maxLength: 70 }), (b) => {
        let ok = true
        try {
          v.checkBucket(b)
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidBucketName)
          ok = false
        }
        expect(ok).toBe(byRule(b))
      }),
      { numRuns: 3000 },
    )
  })
})

describe('checkKey', () => {
  it('accepts 1 to 1000 UTF-8 bytes', () => {
    for (const k of ['k', 'x'.repeat(1000), '测'.repeat(333), ' ', '/', '...', 'a/./b', '😀']) expect(v.checkKey(k)).toBe(k)
  })

  it('refuses empty, dot segments, lone surrogates and over 1000 bytes with InvalidObjectName', () => {
    expect(refused(() => v.checkKey(''), InvalidObjectName)).toBe('key is required: a non-empty string of at most 1000 UTF-8 bytes, got ""')
    expect(refused(() => v.checkKey(7, 'destKey'), InvalidObjectName)).toBe('destKey is required: a non-empty string of at most 1000 UTF-8 bytes, got number')
    for (const k of ['.', '..']) {
      expect(refused(() => v.checkKey(k), InvalidObjectName)).toBe(
        `key ${JSON.stringify(k)} cannot be addressed: URLs drop the path segments '.' and '..' (even written %2e), so the request would reach another resource`,
      )
    }
    expect(refused(() => v.checkKey('a\uDC00'), InvalidObjectName)).toBe('key "a\\udc00" contains a lone surrogate and cannot be encoded as UTF-8')
    expect(refused(() => v.checkKey('\uD83D'), InvalidObjectName)).toBe('key "\\ud83d" contains a lone surrogate and cannot be encoded as UTF-8')
    expect(refused(() => v.checkKey('x'.repeat(1001)), InvalidObjectName)).toBe('key is 1001 UTF-8 bytes long; NOS allows at most 1000')
    expect(refused(() => v.checkKey('测'.repeat(334)), InvalidObjectName)).toBe('key is 1002 UTF-8 bytes long; NOS allows at most 1000')
  })

  it('property: a well-formed key is accepted exactly when its UTF-8 form is 1-1000 bytes and it is not . or ..', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (k) => {
        const bytes = new TextEncoder().encode(k).length
        const ok = bytes >= 1 && bytes <= 1000 && k !== '.' && k !== '..'
        if (ok) expect(v.checkKey(k)).toBe(k)
        else expect(caught(() => v.checkKey(k))).toBeInstanceOf(InvalidObjectName)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('number checks', () => {
  it('checkInt and optInt: integers within bounds, inclusive', () => {
    expect([v.checkInt(1, 'n', 1, 3), v.checkInt(3, 'n', 1, 3), v.optInt(undefined, 'n', 1, 3), v.optInt(2, 'n', 1, 3)]).toEqual([1, 3, undefined, 2])
    expect(refused(() => v.checkInt(0, 'partNumber', 1, 10_000))).toBe('partNumber must be an integer from 1 to 10000, got 0')
    expect(refused(() => v.checkInt(10_001, 'partNumber', 1, 10_000))).toBe('partNumber must be an integer from 1 to 10000, got 10001')
    expect(refused(() => v.checkInt(1.5, 'n', 1, 3))).toBe('n must be an integer from 1 to 3, got 1.5')
    expect(refused(() => v.checkInt('2', 'n', 1, 3))).toBe('n must be an integer from 1 to 3, got "2"')
    expect(refused(() => v.optInt(null, 'n', 1, 3))).toBe('n must be an integer from 1 to 3, got null')
  })

  it('checkLength: a non-negative safe integer or undefined', () => {
    expect([v.checkLength(undefined, 'l'), v.checkLength(0, 'l'), v.checkLength(Number.MAX_SAFE_INTEGER, 'l')]).toEqual([undefined, 0, Number.MAX_SAFE_INTEGER])
    for (const [x, shown] of [[-1, '-1'], [0.5, '0.5'], [Number.MAX_SAFE_INTEGER + 1, '9007199254740992'], [NaN, 'NaN'], [Infinity, 'Infinity'], ['5', '"5"']] as const) {
      expect(refused(() => v.checkLength(x, 'contentLength'))).toBe(`contentLength must be a non-negative integer number of bytes, got ${shown}`)
    }
  })
})

describe('strings, booleans, callbacks, signals, ACLs, params', () => {
  it('checkString and optString', () => {
    expect(v.checkString('x', 'uploadId')).toBe('x')
    expect(refused(() => v.checkString('', 'uploadId'))).toBe('uploadId is required: a non-empty string, got ""')
    expect(refused(() => v.checkString(undefined, 'token', 'an upload token'))).toBe('token is required: an upload token, got undefined')
    expect([v.optString(undefined, 'p'), v.optString('', 'p')]).toEqual([undefined, ''])
    expect(refused(() => v.optString(1, 'prefix'))).toBe('prefix must be a string, got number')
  })

  it('checkBoolean refuses truthy strings', () => {
    expect([v.checkBoolean(undefined, 'b'), v.checkBoolean(false, 'b')]).toEqual([undefined, false])
    expect(refused(() => v.checkBoolean('false', 'quiet'))).toBe('quiet must be true or false, got "false"')
  })

  it('checkCallback', () => {
    const f = () => 1
    expect([v.checkCallback(undefined, 'cb'), v.checkCallback(f, 'cb')]).toEqual([undefined, f])
    expect(refused(() => v.checkCallback('f', 'onProgress'))).toBe('onProgress must be a function, got "f"')
  })

  it('checkSignal accepts an AbortSignal by shape (another realm, a polyfill)', () => {
    const real = new AbortController().signal
    const lookalike = { aborted: false, addEventListener() {} }
    expect([v.checkSignal(undefined), v.checkSignal(real), v.checkSignal(lookalike)]).toEqual([undefined, real, lookalike])
    const message = "signal must be an AbortSignal (e.g. AbortSignal.timeout(5000) or an AbortController's signal), got"
    expect(refused(() => v.checkSignal(null))).toBe(`${message} null`)
    expect(refused(() => v.checkSignal({ aborted: 'no', addEventListener() {} }))).toBe(`${message} object`)
    expect(refused(() => v.checkSignal(new AbortController()))).toBe(`${message} object`)
  })

  it('checkHeaderValue: printable ASCII and tabs only', () => {
    expect(v.checkHeaderValue('a\tb ~', 'h')).toBe('a\tb ~')
    expect(refused(() => v.checkHeaderValue('a\r\nX-Evil: 1', 'contentType'))).toBe(
      'contentType "a\\r\\nX-Evil: 1" cannot travel in an HTTP header: only printable ASCII is allowed (encode other text, e.g. with encodeURIComponent)',
    )
    expect(refused(() => v.checkHeaderValue(5, 'h'))).toBe('h must be a string, got number')
  })

  it('checkParams: one object argument, whose signal is checked too', () => {
    const p = { bucket: 'abc' }
    expect(v.checkParams(p, 'headObject')).toBe(p)
    expect(refused(() => v.checkParams('abc', 'headObject'))).toBe('headObject takes one object argument, e.g. headObject({ bucket, key }), got "abc"')
    expect(refused(() => v.checkParams(null, 'getObject'))).toBe('getObject takes one object argument, e.g. getObject({ bucket, key }), got null')
    expect(refused(() => v.checkParams({ signal: 1 }, 'getObject'))).toMatch(/^signal must be an AbortSignal/)
  })

  it('checkAcl: the two NOS canned ACLs', () => {
    expect([v.checkAcl('private'), v.checkAcl('public-read')]).toEqual(['private', 'public-read'])
    expect(refused(() => v.checkAcl('public-read-write'))).toBe(`acl must be 'private' or 'public-read' (the NOS canned ACLs), got "public-read-write"`)
  })
})
