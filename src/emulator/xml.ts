/**
 * XML in and out. Output: prolog, no namespaces (docs/protocol.md#response-headers-and-xml). Input: namespaces ignored
 * (Java sends `xmlns="http://nos.netease.com//"`), values kept verbatim (keys may have spaces or leading zeros).
 * @module
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { NosError } from './errors.js'

/** The XML prolog NOS sends. */
export const XML_PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n'

/**
 * Escapes text for XML element content: `& < >`, and every control character as a numeric character reference,
 * because XML parsers turn a raw CR (and CRLF) into LF, and a listed key must be the stored key byte for byte
 * (docs/protocol.md#numeric-character-references).
 *
 * @example
 * escapeXml('a&b\r') // 'a&amp;b&#13;'
 */
export function escapeXml(text: string): string {
  // Element content only: quotes need no escaping there (and stay readable in messages).
  return text.replace(/[&<>\x00-\x1f]/g, (c) => ESCAPES[c] ?? `&#${c.charCodeAt(0)};`)
}
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\n': '\n' }

/** A node of {@link xml}: text, nested children, or nothing (element skipped). */
export type XmlValue = string | number | boolean | XmlChildren | undefined
/** Ordered children: `[name, value]` pairs (names may repeat). */
export type XmlChildren = Array<[string, XmlValue]>

/**
 * Renders one element with its children, no whitespace between elements.
 *
 * @example
 * xml('Error', [['Code', 'NoSuchKey']]) // '<Error><Code>NoSuchKey</Code></Error>'
 */
export function xml(name: string, value: XmlValue): string {
  if (value === undefined) return ''
  if (Array.isArray(value)) return `<${name}>${value.map(([n, v]) => xml(n, v)).join('')}</${name}>`
  return `<${name}>${escapeXml(String(value))}</${name}>`
}

/** A whole XML document: prolog plus the root element. @example xmlDocument('A', '1') // '<?xml version="1.0" encoding="UTF-8"?>\n<A>1</A>' */
export function xmlDocument(root: string, value: XmlValue): string {
  return XML_PROLOG + xml(root, value)
}

const ARRAY_ELEMENTS = new Set(['Object', 'Part', 'CORSRule', 'AllowedOrigin', 'AllowedMethod', 'AllowedHeader', 'ExposeHeader'])

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  // A multi-delete of 1000 keys of 1000 bytes may hold ~1M entity references; the library's default budget is
  // 1000 per document (its CVE-2026-33036 fix). DOCTYPE entities keep the library's own limits.
  processEntities: { enabled: true, maxTotalExpansions: 2_000_000 },
  // Numeric character references (`&#9;`, `&#13;`, `&#x1F600;`): clients escape control characters in keys so
  // (docs/protocol.md#numeric-character-references). The option also reads the handful of HTML names.
  htmlEntities: true,
  isArray: (name) => ARRAY_ELEMENTS.has(name),
})

/** A parsed element: text or nested object; repeated elements listed in ARRAY_ELEMENTS are arrays. */
export type XmlNode = string | { [name: string]: XmlNode | XmlNode[] | undefined }

/**
 * Parses a request body; malformed XML is a 400 `MalformedXML`.
 *
 * @example
 * parseXml('<Delete><Object><Key>a</Key></Object></Delete>') // { Delete: { Object: [{ Key: 'a' }] } }
 */
export function parseXml(body: string): Record<string, XmlNode> {
  if (!body.trim() || XMLValidator.validate(body) !== true) throw new NosError('MalformedXML')
  try {
    return parser.parse(body) as Record<string, XmlNode>
  } catch {
    throw new NosError('MalformedXML')
  }
}

/** Child element of a parsed node as an object (undefined when absent or text). */
export function child(node: XmlNode | XmlNode[] | undefined, name: string): XmlNode | XmlNode[] | undefined {
  if (!node || typeof node === 'string' || Array.isArray(node)) return undefined
  return node[name]
}

/** Text of a parsed element ('' for `<Key></Key>`, undefined when absent). */
export function text(node: XmlNode | XmlNode[] | undefined): string | undefined {
  if (node === undefined) return undefined
  if (typeof node === 'string') return node
  if (Array.isArray(node)) return text(node[0])
  const t = node['#text']
  return typeof t === 'string' ? t : Object.keys(node).length === 0 ? '' : undefined
}

/** Children as an array (a single element or none become arrays). */
export function list(node: XmlNode | XmlNode[] | undefined): XmlNode[] {
  if (node === undefined) return []
  return Array.isArray(node) ? node : [node]
}
