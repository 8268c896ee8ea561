/**
 * src/core/metadata.ts: user metadata to `x-nos-meta-*` headers and back. Names are tokens, unique regardless of
 * case and prefix; values printable ASCII by default, percent-encoded with 'uri' so that any string round-trips.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeMetadataValue, headerText, metadataFromHeaders, metadataHeaders } from '../../src/core/metadata.js'
import { InvalidArgument } from '../../src/core/errors.js'
import { caught } from '../helpers/caught.js'

const refused = (f: () => unknown) => {
  const e = caught(f)
  expect(e).toBeInstanceOf(InvalidArgument)
  return e.message
}
/** A header value as fetch exposes it: one character per UTF-8 byte. */
const asByteString = (s: string) => String.fromCharCode(...new TextEncoder().encode(s))

describe('metadataHeaders', () => {
  it('names lower-case with the prefix (given or not); values as they are; undefined is none', () => {
    expect(metadataHeaders({ Owner: 'u42', 'X-NOS-META-Tag': 'a b', 'x.y_z-1': '' })).toEqual({ 'x-nos-meta-owner': 'u42', 'x-nos-meta-tag': 'a b', 'x-nos-meta-x.y_z-1': '' })
    expect(metadataHeaders(undefined)).toEqual({})
  })

  it('refuses what is not an object of strings, naming the argument', () => {
    expect(refused(() => metadataHeaders(null))).toBe('metadata must be an object of string names to string values, got null')
    expect(refused(() => metadataHeaders(['a'], 'meta'))).toBe('meta must be an object of string names to string values, got object')
    expect(refused(() => metadataHeaders({ a: 1 }))).toBe('metadata["a"] must be a string, got number')
  })

  it('refuses names that are not header tokens, and two names for one header', () => {
    expect(refused(() => metadataHeaders({ 'my key': 'v' }))).toBe('metadata name "my key" cannot be a header name: use letters, digits and - _ . (no spaces)')
    expect(refused(() => metadataHeaders({ 'x-nos-meta-': 'v' }))).toBe('metadata name "x-nos-meta-" cannot be a header name: use letters, digits and - _ . (no spaces)')
    expect(refused(() => metadataHeaders({ '': 'v' }))).toBe('metadata name "" cannot be a header name: use letters, digits and - _ . (no spaces)')
    expect(refused(() => metadataHeaders({ Owner: 'a', 'x-nos-meta-owner': 'b' }))).toBe(
      'metadata names "Owner" and "x-nos-meta-owner" are the same header (names are case-insensitive, sent lower-case): keep one',
    )
  })

  it('by default refuses values outside printable ASCII or with spaces at either end', () => {
    expect(refused(() => metadataHeaders({ who: '张三' }))).toBe(
      'metadata["who"] "张三" cannot travel in an HTTP header: only printable ASCII is allowed. Pass the client option ' +
        "metadataEncoding: 'uri' to percent-encode values on write and decode them on read (docs/protocol.md#metadata-encoding)",
    )
    expect(refused(() => metadataHeaders({ a: 'x\r\ny' }))).toMatch(/^metadata\["a"\] "x\\r\\ny" cannot travel in an HTTP header/)
    expect(refused(() => metadataHeaders({ a: ' x' }))).toBe(`metadata["a"] " x" starts or ends with a space, which HTTP drops; trim it, or pass the client option metadataEncoding: 'uri'`)
  })

  it("with 'uri' encodes %, non-ASCII and edge spaces only", () => {
    expect(metadataHeaders({ who: '张三 100%', pad: ' a b ' }, 'metadata', 'uri')).toEqual({ 'x-nos-meta-who': '%E5%BC%A0%E4%B8%89 100%25', 'x-nos-meta-pad': '%20a b%20' })
    expect(encodeMetadataValue('a\tb~!')).toBe('a%09b~!')
    expect(refused(() => encodeMetadataValue('a\uD800', 'metadata["k"]'))).toBe('metadata["k"] "a\\ud800" contains a lone surrogate (half of a UTF-16 pair) and has no UTF-8 form')
  })
})

describe('reading metadata back', () => {
  it('headerText: UTF-8 bytes read as text; ASCII, invalid UTF-8 and real text left as they are', () => {
    expect(headerText(asByteString('张三'))).toBe('张三')
    expect(headerText('plain')).toBe('plain')
    expect(headerText('caf\xe9')).toBe('caf\xe9')
    expect(headerText('张')).toBe('张')
  })

  it('metadataFromHeaders: x-nos-meta-* only, names without the prefix; uri values decoded, bad escapes kept', () => {
    const h = new Headers({ 'x-nos-meta-Owner': '%E5%BC%A0', 'x-nos-meta-bad': '100%', 'content-type': 'text/plain', 'x-nos-request-id': 'r' })
    expect(metadataFromHeaders(h)).toEqual({ owner: '%E5%BC%A0', bad: '100%' })
    expect(metadataFromHeaders(h, 'uri')).toEqual({ owner: '张', bad: '100%' })
  })

  it("property: with 'uri' any well-formed string round-trips through real Headers", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,15}$/), (value, name) => {
        const sent = new Headers(metadataHeaders({ [name]: value }, 'metadata', 'uri'))
        expect(metadataFromHeaders(sent, 'uri')).toEqual({ [name]: value })
      }),
      { numRuns: 1000 },
    )
  })

  it('property: raw UTF-8 written by another client reads back as the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }).filter((s) => s === s.trim()), (value) => {
        expect(metadataFromHeaders(new Headers({ 'x-nos-meta-k': asByteString(value) }))).toEqual({ k: value })
      }),
      { numRuns: 1000 },
    )
  })
})
