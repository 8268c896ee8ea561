/** The JSON error locator of config files (src/cli/json-locate.ts): accepts exactly what JSON.parse accepts. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { jsonSyntaxError } from '../../src/cli/json-locate.js'

const parses = (text: string) => {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** Valid JSON, JSON with one character inserted or removed, and JSON-ish noise. */
const texts = fc.oneof(
  fc.json(),
  fc.tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '"', '}', ']', ':', '\\', '\n', 'x', '0', '-', '.', 'e', '\u0001')).map(([j, at, c]) => {
    const i = at % (j.length + 1)
    return c === '' ? j.slice(0, i) + j.slice(i + 1) : j.slice(0, i) + c + j.slice(i)
  }),
  fc.array(fc.constantFrom('{', '}', '[', ']', '"', ':', ',', ' ', '\n', 'a', '1', '-', '.', 'e', 'true', 'null', '\\u00', '\\n'), { maxLength: 20 }).map((a) => a.join('')),
)

describe('jsonSyntaxError', () => {
  it('examples: line and column of the first error', () => {
    expect(jsonSyntaxError('{"a": 1}')).toBeUndefined()
    expect(jsonSyntaxError('{\n  "a": 1,\n}')).toEqual({ offset: 12, line: 3, column: 1, expected: 'a string' })
    expect(jsonSyntaxError('{\n  "a": "x"\n  "b": 2\n}')).toMatchObject({ line: 3, column: 3, expected: "',' or '}'" })
    expect(jsonSyntaxError('')).toMatchObject({ line: 1, column: 1, expected: 'a JSON value' })
    expect(jsonSyntaxError('{"a": tru}')).toMatchObject({ line: 1, column: 7 })
  })

  it('property: reports an error exactly when JSON.parse rejects the text', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(jsonSyntaxError(text) === undefined, JSON.stringify(text)).toBe(parses(text))
      }),
      { numRuns: 5000 },
    )
  })
})
