/**
 * nosEncode's fast path (encodeURIComponent plus `! ' ( ) ~`) against the definition it replaced: UTF-8 bytes, each
 * percent-encoded in upper-case hex except `A-Z a-z 0-9 - _ . *`
 * (docs/protocol.md#key-encoding-and-canonical-resource), lone surrogates as U+FFFD.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nosEncode } from '../../src/core/encoding.js'

const UTF8 = new TextEncoder()
function byDefinition(value: string): string {
  let out = ''
  for (const ch of value) {
    if (ch.length === 1 && /[A-Za-z0-9\-_.*]/.test(ch)) out += ch
    else for (const b of UTF8.encode(ch)) out += '%' + b.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

describe('nosEncode', () => {
  it('equals the byte-wise definition for any string, lone surrogates included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => nosEncode(s) === byDefinition(s)), { numRuns: 3000 })
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => nosEncode(s) === byDefinition(s)), { numRuns: 3000 })
    for (const s of ['\uD800', 'a\uDC00b', "!'()~*-_. /+%", '数据/文件.bin', '😀']) expect(nosEncode(s)).toBe(byDefinition(s))
  })
})
