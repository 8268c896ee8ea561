/** Escaping of printed text (src/cli/escape.ts): never a raw control character, always reversible. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { escapeText, jsonText, unescapeText } from '../../src/cli/escape.js'

/** Characters that must never reach a terminal raw. */
const RAW_CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/

/** Keys built from the awkward characters on purpose, plus any Unicode. */
const keyChars = fc.oneof(
  fc.constantFrom('\\', '\n', '\r', '\t', '\x1b', '\x07', '\x00', '\x7f', '\u009b', '\u202e', '\u2028', 'x', '/', '[', 'n', '{', '}', 'u'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
)
const keys = fc.array(keyChars, { maxLength: 40 }).map((cs) => cs.join(''))

describe('escapeText', () => {
  it('examples', () => {
    expect(escapeText('a\nb')).toBe('a\\nb')
    expect(escapeText('\x1b[31mred')).toBe('\\x1B[31mred')
    expect(escapeText('back\\slash')).toBe('back\\\\slash')
    expect(escapeText('bidi\u202e')).toBe('bidi\\u{202E}')
    expect(escapeText('中文 😀 ok')).toBe('中文 😀 ok')
  })

  it('property: never emits a raw control character, and unescapeText undoes it', () => {
    fc.assert(
      fc.property(keys, (key) => {
        const shown = escapeText(key)
        expect(shown).not.toMatch(RAW_CONTROL)
        expect(unescapeText(shown)).toBe(key)
      }),
      { numRuns: 2000 },
    )
  })

  it('property: distinct keys are printed differently; printable text without backslashes is unchanged', () => {
    fc.assert(
      fc.property(keys, keys, (a, b) => {
        if (a !== b) expect(escapeText(a)).not.toBe(escapeText(b))
      }),
    )
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      if (!RAW_CONTROL.test(s) && !s.includes('\\')) expect(escapeText(s)).toBe(s)
    }))
  })

  it('property: jsonText is exact once parsed and safe on a terminal', () => {
    fc.assert(
      fc.property(keys, (key) => {
        const text = jsonText({ key })
        // Line breaks of the indentation only.
        expect(text.replace(/\n/g, '')).not.toMatch(RAW_CONTROL)
        expect(JSON.parse(text)).toEqual({ key })
      }),
    )
  })
})
