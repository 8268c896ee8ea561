/**
 * XML in (fast-xml-parser) and out (a few fixed request bodies, written by hand: five escapes do not justify
 * shipping XMLBuilder in the browser bundle).
 * @module
 */
import type { XMLParser } from 'fast-xml-parser'
import { XmlParseError } from './errors.js'

/** Elements that may repeat, by path, so a single one still parses as an array. */
const ARRAY_PATHS = new Set([
  'ListBucketResult.Contents',
  'ListBucketResult.CommonPrefixes',
  'DeleteResult.Deleted',
  'DeleteResult.Error',
  'ListPartsResult.Part',
  'ListMultipartUploadsResult.Upload',
  'ListAllMyBucketsResult.Buckets.Bucket',
  'CORSConfiguration.CORSRule',
  'CORSConfiguration.CORSRule.AllowedOrigin',
  'CORSConfiguration.CORSRule.AllowedMethod',
  'CORSConfiguration.CORSRule.AllowedHeader',
  'CORSConfiguration.CORSRule.ExposeHeader',
])

/** XML's white space: space, tab, LF, CR. */
const XML_SPACE = new Set([0x20, 0x09, 0x0a, 0x0d])

/** Entity references allowed in one response (1000 keys x 1000 bytes, plus room). */
export const MAX_ENTITY_EXPANSIONS = 2_000_000

/** fast-xml-parser's options: every value a string, white space kept, numeric references decoded. */
const PARSER_OPTIONS = {
  ignoreAttributes: true,
  // Keep every value a string: a key like `0123` or `1e5` must not become a number.
  parseTagValue: false,
  parseAttributeValue: false,
  // Keys may begin or end with spaces.
  trimValues: false,
  removeNSPrefix: true,
  // fast-xml-parser counts every entity reference against a per-document budget (1000 by default, its fix for
  // CVE-2026-33036). A listing of 1000 keys of 1000 bytes may legitimately hold ~1M references (`&lt;`...),
  // so the budget is set above that. A DOCTYPE (which could declare entities) is refused before parsing (parseXml).
  processEntities: { enabled: true, maxTotalExpansions: MAX_ENTITY_EXPANSIONS },
  htmlEntities: true,
  isArray: (_name: string, jpath: string) => ARRAY_PATHS.has(String(jpath)),
} satisfies ConstructorParameters<typeof XMLParser>[0]

let parser: XMLParser | undefined
let loading: Promise<void> | undefined

/**
 * Loads fast-xml-parser (on first use, not at import: it is most of the SDK's start-up time in Node) and makes the
 * parser. Every reader of an XML body awaits it before calling `parseXml` (response-body.ts, transport.ts).
 * @example await loadXmlParser(); parseXml('<a/>', 'a')
 */
export function loadXmlParser(): Promise<void> {
  return (loading ??= import('fast-xml-parser').then((m) => {
    const XMLParserClass = m.XMLParser ?? (m as unknown as { default: typeof m }).default.XMLParser
    parser = new XMLParserClass(PARSER_OPTIONS)
  }))
}

function getParser(): XMLParser {
  if (!parser) throw new XmlParseError('the XML parser is not loaded: await loadXmlParser() first')
  return parser
}

/** A parsed XML element: strings for text, nested objects, arrays for repeated elements. */
export type XmlNode = { [name: string]: XmlValue }
export type XmlValue = string | XmlNode | XmlValue[] | undefined

/**
 * True when `text` ends with the closing tag of `root` (`</root>`, `</ns:root>`) or is a self-closed `<root/>`,
 * trailing whitespace aside: a body cut short fails. Linear: one scan back from the end, then a regular expression
 * anchored at the last `<` (an unanchored one backtracked over every `<root` of a hostile body: 7 s for 256 KiB).
 * @example
 * isCompleteXml('<a><b/></a>\n', 'a') // true
 * isCompleteXml('<a><b/>', 'a') // false
 */
export function isCompleteXml(text: string, root: string): boolean {
  let end = text.length
  while (end > 0 && XML_SPACE.has(text.charCodeAt(end - 1))) end--
  const open = text.lastIndexOf('<', end - 1)
  if (open < 0 || text[end - 1] !== '>') return false
  const tail = text.slice(open, end)
  return new RegExp(`^(?:</(?:[\\w.-]+:)?${root}\\s*>|<(?:[\\w.-]+:)?${root}(?:\\s[^<>]*)?/>)$`).test(tail)
}

/**
 * Parses an XML document; throws `XmlParseError` when `root` is missing.
 * @example
 * parseXml('<a><b>0123</b></a>', 'a') // { b: '0123' }
 */
export function parseXml(text: string, root: string): XmlNode {
  let doc: XmlNode
  // No validation pass: `parse(text, true)` runs fast-xml-parser's validator over the whole document first, a
  // quarter of the time of a 1000-key listing (bench/fig-listing.ts). What it caught that matters here is a body
  // cut short, which would parse as a smaller valid document: the closing root tag is checked for instead.
  if (!isCompleteXml(text, root)) {
    throw new XmlParseError(`expected a complete XML <${root}> document, got: ${text.slice(0, 200)}`)
  }
  // NOS never sends a DOCTYPE, and the <script> bundles leave fast-xml-parser's DOCTYPE reader out (tsup.config.ts):
  // a document type declaration (entity definitions included) is refused the same way in every build.
  if (text.includes('<!DOCTYPE')) throw new XmlParseError(`a response with a DOCTYPE is not a NOS document (expected <${root}>)`)
  try {
    doc = getParser().parse(text) as XmlNode
  } catch (e) {
    throw new XmlParseError(`response is not well-formed XML (expected <${root}>): ${String(e)}`, { cause: e })
  }
  const node = doc[root]
  if (node === undefined) {
    throw new XmlParseError(`expected an XML <${root}> document, got: ${text.slice(0, 200)}`)
  }
  // fast-xml-parser accepts several top-level elements; a NOS document has exactly one (an XML declaration and the
  // white space around it aside).
  if (Array.isArray(node) || Object.keys(doc).some((name) => name !== root && name !== '?xml' && name !== '#text')) {
    throw new XmlParseError(`expected one <${root}> document element, got several: ${text.slice(0, 200)}`)
  }
  return typeof node === 'string' ? { '#text': node } : (node as XmlNode)
}

/**
 * Text of a child element NOS always sends; its absence (a broken or hostile server) is an `XmlParseError`
 * rather than a silent ''.
 * @example
 * required(parseXml('<a><UploadId>7</UploadId></a>', 'a'), 'UploadId', 'InitiateMultipartUploadResult') // '7'
 */
export function required(node: XmlNode, name: string, where: string): string {
  const v = node[name]
  if (v === undefined || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 && typeof v['#text'] !== 'string')) {
    throw new XmlParseError(`the response has no <${name}> in <${where}>`)
  }
  return text(v)
}

/** Text of a child element ('' when absent). */
export function text(node: XmlValue, name?: string): string {
  const v = name === undefined ? node : node && typeof node === 'object' && !Array.isArray(node) ? node[name] : undefined
  if (v === undefined || v === null) return ''
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return text(v[0])
  return typeof v['#text'] === 'string' ? v['#text'] : ''
}

/** Children under `name` as an array (absent -> []). */
export function list(node: XmlNode, name: string): XmlNode[] {
  const v = node[name]
  if (v === undefined || v === '') return []
  return (Array.isArray(v) ? v : [v]).filter((x): x is XmlNode => typeof x === 'object' && x !== null && !Array.isArray(x))
}

/**
 * Escapes text for an XML element; control characters become numeric character references, since XML parsers turn a
 * raw CR into LF (docs/protocol.md#numeric-character-references).
 * @example escapeXml('a&b\t') // 'a&amp;b&#9;'
 */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!).replace(/[\x00-\x1f]/g, (c) => `&#${c.charCodeAt(0)};`)
}
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/** `<name>escaped</name>` */
export function el(name: string, value: string | number | boolean): string {
  return `<${name}>${escapeXml(String(value))}</${name}>`
}
