/**
 * src/core/xml.ts, src/core/response-fields.ts and parseNosDate (src/core/http-date.ts): NOS documents parsed with every value a string, repeated elements as
 * arrays even when single, bodies cut short refused; the few request bodies escaped by hand; response fields read
 * tolerantly (quoted ETags, NOS's date shapes). Hostile bodies and linear time: xml-hostile.test.ts.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { el, escapeXml, isCompleteXml, list, loadXmlParser, parseXml, required, text, type XmlNode } from '../../src/core/xml.js'
import { cleanEtag, requestIdOf, toBool, toInt } from '../../src/core/response-fields.js'
import { parseNosDate } from '../../src/core/http-date.js'
import { XmlParseError } from '../../src/core/errors.js'
import { caught } from '../helpers/caught.js'

await loadXmlParser()

const parseError = (f: () => unknown) => {
  const e = caught(f)
  expect(e).toBeInstanceOf(XmlParseError)
  return e.message
}

describe('parseXml', () => {
  it('keeps every value a string, white space included, namespaces dropped, references decoded', () => {
    const doc = parseXml('<?xml version="1.0"?>\n<ns:R xmlns:ns="x"><K>0123</K><N>1e5</N><S> a </S><E>&lt;&amp;&#13;&#x1F600;</E><T>true</T><Z/></ns:R>', 'R')
    expect(doc).toEqual({ K: '0123', N: '1e5', S: ' a ', E: '<&\r😀', T: 'true', Z: '' })
  })

  it('repeated elements are arrays even when single, by path; others stay single', () => {
    const one = parseXml('<ListBucketResult><Name>b</Name><Contents><Key>k</Key></Contents><CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes></ListBucketResult>', 'ListBucketResult')
    expect(one).toEqual({ Name: 'b', Contents: [{ Key: 'k' }], CommonPrefixes: [{ Prefix: 'p/' }] })
    const buckets = parseXml('<ListAllMyBucketsResult><Buckets><Bucket><Name>x</Name></Bucket></Buckets></ListAllMyBucketsResult>', 'ListAllMyBucketsResult')
    expect(buckets).toEqual({ Buckets: { Bucket: [{ Name: 'x' }] } })
    const cors = parseXml('<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>5</MaxAgeSeconds></CORSRule></CORSConfiguration>', 'CORSConfiguration')
    expect(cors).toEqual({ CORSRule: [{ AllowedOrigin: ['*'], AllowedMethod: ['GET'], MaxAgeSeconds: '5' }] })
  })

  it('a root holding only text is { "#text" }', () => {
    expect(parseXml('<Code>NoSuchKey</Code>', 'Code')).toEqual({ '#text': 'NoSuchKey' })
  })

  it('refuses bodies cut short, other roots and DOCTYPEs as XmlParseError', () => {
    expect(parseError(() => parseXml('<a><b>1</b>', 'a'))).toBe('expected a complete XML <a> document, got: <a><b>1</b>')
    expect(parseError(() => parseXml('', 'a'))).toBe('expected a complete XML <a> document, got: ')
    expect(parseError(() => parseXml(`<a>${'x'.repeat(300)}`, 'a'))).toBe(`expected a complete XML <a> document, got: <a>${'x'.repeat(197)}`)
    expect(parseError(() => parseXml('<b></b>', 'a'))).toBe('expected a complete XML <a> document, got: <b></b>')
    expect(parseError(() => parseXml('<b><a></a>', 'a'))).toBe('expected an XML <a> document, got: <b><a></a>')
    expect(parseError(() => parseXml('<!DOCTYPE a><a/>', 'a'))).toBe('a response with a DOCTYPE is not a NOS document (expected <a>)')
  })
  it('regression: refuses a body with several top-level elements (fast-xml-parser would return an array)', () => {
    for (const body of ['<Error><Code>A</Code></Error><Error><Code>B</Code></Error>', '<A/><Error><Code>B</Code></Error>']) {
      const e = caught(() => parseXml(body, 'Error'))
      expect(e).toBeInstanceOf(XmlParseError)
      expect(e.message).toBe(`expected one <Error> document element, got several: ${body}`)
    }
    // An XML declaration and white space around the root stay fine.
    expect(parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>B</Code></Error>\n', 'Error')).toEqual({ Code: 'B' })
  })

  it('property: any element before or after a NOS document makes it an XmlParseError, never a merged result', () => {
    const name = fc.constantFrom('Error', 'Code', 'A', 'ListBucketResult', 'x')
    const element = fc.tuple(name, fc.stringMatching(/^[a-z0-9 ]{0,8}$/)).map(([n, t]) => `<${n}>${t}</${n}>`)
    fc.assert(
      fc.property(element, fc.boolean(), (extra, before) => {
        const doc = '<Error><Code>B</Code></Error>'
        const e = caught(() => parseXml(before ? extra + doc : doc + extra, 'Error'))
        expect(e).toBeInstanceOf(XmlParseError)
      }),
    )
  })
})

describe('isCompleteXml', () => {
  it('true for a closing root tag (any prefix, trailing space) or a self-closed root; false otherwise', () => {
    const cases: [string, boolean][] = [
      ['<a><b/></a>\n', true],
      ['<a></a >', true],
      ['<x:a></x:a>', true],
      ['<a/>', true],
      ['<a x="1" />', true],
      ['<a>', false],
      ['<a><b/>', false],
      ['<a></ab>', false],
      ['<ab></ab>', false],
      ['<a></a', false],
      ['', false],
      ['   ', false],
      ['</a>trailing', false],
    ]
    expect(cases.map(([t]) => isCompleteXml(t, 'a'))).toEqual(cases.map(([, ok]) => ok))
  })

  it('property: no proper prefix of a document (white space aside) is complete', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('<k>', '</k>', 'x', '<e/>', '&amp;', ' '), { maxLength: 20 }), fc.nat(), (inner, cut) => {
        const doc = `<Root>${inner.join('')}</Root>`
        expect(isCompleteXml(doc, 'Root')).toBe(true)
        const end = cut % doc.length
        if (doc.slice(0, end).trimEnd() !== doc) expect(isCompleteXml(doc.slice(0, end), 'Root')).toBe(false)
      }),
      { numRuns: 500 },
    )
  })
})

describe('required, text, list', () => {
  const doc = parseXml('<r><Id>7</Id><Empty></Empty><Nested><X>1</X></Nested><Parts><P>1</P><P>2</P></Parts></r>', 'r')

  it('required returns the text, or names the missing element', () => {
    expect(required(doc, 'Id', 'r')).toBe('7')
    expect(required(doc, 'Empty', 'r')).toBe('')
    expect(parseError(() => required(doc, 'UploadId', 'InitiateMultipartUploadResult'))).toBe('the response has no <UploadId> in <InitiateMultipartUploadResult>')
    expect(parseError(() => required(doc, 'Nested', 'r'))).toBe('the response has no <Nested> in <r>')
  })

  it('text: of a string, the first of an array, #text of a node, else \'\'', () => {
    const node: XmlNode = { a: 'x', arr: ['first', 'second'], withText: { '#text': 't' }, nested: { b: 'c' } }
    expect(['a', 'arr', 'withText', 'nested', 'absent'].map((n) => text(node, n))).toEqual(['x', 'first', 't', '', ''])
    expect(text('plain')).toBe('plain')
    expect(text(undefined)).toBe('')
    expect(text(['a'], 'x')).toBe('')
  })

  it('list: children as an array, a single one wrapped, absent or empty as []', () => {
    const node: XmlNode = { many: [{ a: '1' }, 'stray', { a: '2' }], one: { a: '3' }, empty: '' }
    expect(list(node, 'many')).toEqual([{ a: '1' }, { a: '2' }])
    expect(list(node, 'one')).toEqual([{ a: '3' }])
    expect(list(node, 'empty')).toEqual([])
    expect(list(node, 'absent')).toEqual([])
  })
})

describe('escapeXml and el', () => {
  it('escapes the five markup characters and every control character as a numeric reference', () => {
    expect(escapeXml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f')
    expect(escapeXml('\x00\t\n\r\x1f\x7f é')).toBe('&#0;&#9;&#10;&#13;&#31;\x7f é')
    expect(el('Key', 'a&b')).toBe('<Key>a&amp;b</Key>')
    expect(el('PartNumber', 3)).toBe('<PartNumber>3</PartNumber>')
    expect(el('Quiet', true)).toBe('<Quiet>true</Quiet>')
  })
})

describe('response-fields.ts and parseNosDate', () => {
  it('cleanEtag strips quotes of either kind and white space', () => {
    expect(['"abc"', "'abc'", ' "abc" ', 'abc', '""', '', null, undefined].map(cleanEtag)).toEqual(['abc', 'abc', 'abc', 'abc', '', '', '', ''])
  })

  it('parseNosDate reads NOS\'s four shapes; anything else is an invalid Date, never a throw', () => {
    const iso = (v: string | null | undefined) => {
      const d = parseNosDate(v)
      return Number.isNaN(d.getTime()) ? 'Invalid' : d.toISOString()
    }
    expect([
      '2016-07-23T11:45:42 +0800',
      '2016-07-23T11:45:42+08:00',
      '2016-07-23T11:45:42.123 -0130',
      '2016-07-23T03:45:42.000Z',
      'Sat, 23 Jul 2016 03:45:42 GMT',
      'Sat, 23 Jul 2016 11:45:42 Asia/Shanghai',
      '  2016-07-23T11:45:42 +0800  ',
      '',
      null,
      undefined,
      'yesterday',
    ].map(iso)).toEqual([
      '2016-07-23T03:45:42.000Z',
      '2016-07-23T03:45:42.000Z',
      '2016-07-23T13:15:42.123Z',
      '2016-07-23T03:45:42.000Z',
      '2016-07-23T03:45:42.000Z',
      '2016-07-23T03:45:42.000Z',
      '2016-07-23T03:45:42.000Z',
      'Invalid',
      'Invalid',
      'Invalid',
      'Invalid',
    ])
  })

  it('property: a date in any of NOS\'s shapes (+0800, Asia/Shanghai wall clock, GMT) reads back as the same instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1971, 0, 1) / 1000, max: Date.UTC(2099, 11, 31) / 1000 }), (seconds) => {
        const t = seconds * 1000
        const shanghai = new Date(t + 8 * 3600_000).toISOString().slice(0, 19)
        expect(parseNosDate(`${shanghai} +0800`).getTime()).toBe(t)
        expect(parseNosDate(new Date(t + 8 * 3600_000).toUTCString().replace('GMT', 'Asia/Shanghai')).getTime()).toBe(t)
        expect(parseNosDate(new Date(t).toUTCString()).getTime()).toBe(t)
      }),
      { numRuns: 500 },
    )
  })

  it('toInt and toBool', () => {
    expect(['42', '007', '12abc', '', null, undefined, 'x', '-3'].map(toInt)).toEqual([42, 7, 12, 0, 0, 0, 0, -3])
    expect(['true', 'TRUE', ' True ', 'false', '1', '', null, undefined].map(toBool)).toEqual([true, true, true, false, false, false, false, false])
  })

  it('requestIdOf reads x-nos-request-id, \'\' without it', () => {
    expect(requestIdOf(new Response(null, { headers: { 'x-nos-request-id': 'abc' } }))).toBe('abc')
    expect(requestIdOf(new Response(null))).toBe('')
  })
})
