/**
 * scripts/fxp-parser-slim.cjs, the `<script>` bundles' fast-xml-parser, parses exactly as fast-xml-parser 4.5.7 does
 * with the options src/core/xml.ts passes (captured here from xml.ts itself, not copied): the same object for NOS-like
 * documents (namespaces, entities of every kind, CDATA, comments, processing instructions, attributes, self-closing
 * and repeated elements, CRLF) and a failure wherever fast-xml-parser fails, on arbitrary text too.
 */
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { createRequire } from 'node:module'
import { XMLParser } from 'fast-xml-parser'
import { loadXmlParser } from '../../src/core/xml.js'

const captured = vi.hoisted(() => ({ options: undefined as unknown }))
vi.mock('fast-xml-parser', async (importOriginal) => {
  const real = await importOriginal<typeof import('fast-xml-parser')>()
  class Capturing extends real.XMLParser {
    constructor(options: ConstructorParameters<typeof real.XMLParser>[0]) {
      super(options)
      captured.options = options
    }
  }
  return { ...real, XMLParser: Capturing }
})

await loadXmlParser()
const options = captured.options as ConstructorParameters<typeof XMLParser>[0]
const Slim = (createRequire(import.meta.url)('../../scripts/fxp-parser-slim.cjs') as { XMLParser: typeof XMLParser }).XMLParser
const real = new XMLParser(options)
const slim = new Slim(options)

type Outcome = { ok: true; value: unknown } | { ok: false }
const outcome = (parser: XMLParser, xml: string): Outcome => {
  try {
    return { ok: true, value: parser.parse(xml) }
  } catch {
    return { ok: false }
  }
}

const NAMES = ['ListBucketResult', 'Contents', 'Key', 'Size', 'CommonPrefixes', 'Prefix', 'Error', 'Code', 'ns:Key', 'a', 'b']
const text = fc.array(
  fc.constantFrom('a', 'Z', ' ', '\n', '\r\n', '\t', '0123', '1e5', '&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#39;', '&#x41;',
    '&#65;', '&#1114112;', '&#x110000;', '&nbsp;', '&euro;', '&copy;', '&inr;', '&unknown;', '&', ']]', '/', 'é', '中'),
  { maxLength: 8 },
).map((parts) => parts.join(''))

const element: fc.Memo<string> = fc.memo((depth) => {
  const name = fc.constantFrom(...NAMES)
  const attrs = fc.constantFrom('', ' x="1"', " y='a>b'", ' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"', ' z="/"')
  const leaf = fc.oneof(
    fc.tuple(name, attrs, text).map(([n, a, t]) => `<${n}${a}>${t}</${n}>`),
    fc.tuple(name, attrs).map(([n, a]) => `<${n}${a}/>`),
    fc.tuple(name, fc.string({ maxLength: 6 })).map(([n, t]) => `<${n}><![CDATA[${t.replace(/]]>/g, '')}]]></${n}>`),
    text.map((t) => `<!-- ${t.replace(/--/g, '')} -->${t}`),
  )
  if (depth <= 1) return leaf
  return fc.oneof(
    leaf,
    fc.tuple(name, attrs, fc.array(element(depth - 1), { maxLength: 4 }), text).map(([n, a, children, t]) => `<${n}${a}>${t}${children.join(t)}</${n}>`),
  )
})

const document = fc.tuple(fc.constantFrom('', '<?xml version="1.0" encoding="UTF-8"?>\n', '<?xml version="1.0"?>\r\n'), element(4))
  .map(([prolog, body]) => prolog + body)

describe('the <script> bundles\' XML parser', () => {
  it('is given the options src/core/xml.ts passes', () => {
    expect(options).toMatchObject({ ignoreAttributes: true, parseTagValue: false, trimValues: false, removeNSPrefix: true, htmlEntities: true })
  })

  it('parses a listing as fast-xml-parser does', () => {
    const listing = '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="x"><Name>bkt</Name><Contents><Key> a&amp;b&#x1;</Key>' +
      '<Size>0123</Size></Contents><CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes></ListBucketResult>'
    expect(slim.parse(listing)).toEqual(real.parse(listing))
    expect(slim.parse(listing)).toEqual({
      '?xml': '',
      ListBucketResult: { Name: 'bkt', Contents: [{ Key: ' a&b\u0001', Size: '0123' }], CommonPrefixes: [{ Prefix: 'p/' }] },
    })
  })

  it('gives the same object as fast-xml-parser for NOS-like documents', () => {
    fc.assert(fc.property(document, (xml) => {
      expect(outcome(slim, xml)).toEqual(outcome(real, xml))
    }), { numRuns: 2000 })
  })

  it('fails where fast-xml-parser fails, and agrees elsewhere, on arbitrary text', () => {
    const piece = fc.constantFrom('<', '>', '/', '</', '<a>', '</a>', '<b/>', '<?', '?>', '<!--', '-->', '<![CDATA[', ']]>', '"', "'", ' ', 'x', ':', '&amp;', '&#', ';', '#text')
    fc.assert(fc.property(fc.array(piece, { maxLength: 30 }).map((p) => p.join('')), (xml) => {
      expect(outcome(slim, xml)).toEqual(outcome(real, xml))
    }), { numRuns: 3000 })
  })

  it('refuses a DOCTYPE, a too deep document and too many entity references, as the SDK needs', () => {
    expect(() => slim.parse('<!DOCTYPE a><a/>')).toThrow(/DOCTYPE is not supported in NOS responses/)
    expect(() => slim.parse('<a>'.repeat(102))).toThrow('Maximum nested tags exceeded')
    const limited = new Slim({ ...options, processEntities: { enabled: true, maxTotalExpansions: 3 } })
    expect(() => limited.parse('<a>&lt;&lt;&gt;&gt;</a>')).toThrow('Entity expansion limit exceeded: 4 > 3')
  })

  it('throws on options src/core/xml.ts does not pass, rather than parsing differently', () => {
    expect(() => new Slim({ ...options, trimValues: true })).toThrow(/supports trimValues: false only/)
    expect(() => new Slim({ ...options, processEntities: { enabled: true, maxEntitySize: 5 } })).toThrow(/processEntities/)
  })
})
