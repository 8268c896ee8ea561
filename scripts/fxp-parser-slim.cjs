// The <script> bundles' fast-xml-parser (aliased in tsup.config.ts): `new XMLParser(options).parse(text)` for the one
// set of options src/core/xml.ts passes, and nothing else. It is the pinned fast-xml-parser 4.5.7's own parse
// (src/xmlparser/OrderedObjParser.js parseXml, then node2json's prettify and xmlNode, which are required as they are)
// with every branch those options never reach taken out: attributes (ignoreAttributes), stop nodes, unpaired tags,
// tag-name transforms, comment and CDATA properties, DOCTYPE entities (a DOCTYPE throws: NOS never sends one and
// src/core/xml.ts refuses one before parsing), value parsing (every value stays a string) and the options builder.
// 2.9 kB gzip less than the package's own modules (measured on the full UMD bundle), which its 30 kB budget needs.
// Other options throw, so a change in src/core/xml.ts cannot silently parse differently in the pages;
// test/unit/fxp-parser-slim.test.ts checks, property by property, that it parses exactly as fast-xml-parser does.
// Derived from fast-xml-parser, MIT License, Copyright (c) 2017 Amit Kumar Gupta; the pages' bundles carry it under
// that licence (its full text is in node_modules/fast-xml-parser/LICENSE).
'use strict'
const XmlNode = require('../node_modules/fast-xml-parser/src/xmlparser/xmlNode.js')
const { prettify } = require('../node_modules/fast-xml-parser/src/xmlparser/node2json.js')

/** The options src/core/xml.ts passes (besides isArray and processEntities.maxTotalExpansions), as it passes them. */
const EXPECTED = { ignoreAttributes: true, parseTagValue: false, parseAttributeValue: false, trimValues: false, removeNSPrefix: true, htmlEntities: true }

const codePoint = (str, base, prefix) => {
  const n = Number.parseInt(str, base)
  return n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : prefix + str + ';'
}
// fast-xml-parser's entity tables, in its order: XML's own (but &amp;), HTML's, then &amp; last.
const ENTITIES = [
  [/&(apos|#39|#x27);/g, "'"], [/&(gt|#62|#x3E);/g, '>'], [/&(lt|#60|#x3C);/g, '<'], [/&(quot|#34|#x22);/g, '"'],
  [/&(nbsp|#160);/g, ' '], [/&(cent|#162);/g, '¢'], [/&(pound|#163);/g, '£'], [/&(yen|#165);/g, '¥'],
  [/&(euro|#8364);/g, '€'], [/&(copy|#169);/g, '©'], [/&(reg|#174);/g, '®'], [/&(inr|#8377);/g, '₹'],
  [/&#([0-9]{1,7});/g, (_, s) => codePoint(s, 10, '&#')], [/&#x([0-9a-fA-F]{1,6});/g, (_, s) => codePoint(s, 16, '&#x')],
]
const XML_ENTITY_COUNT = 4

class XMLParser {
  constructor(options) {
    for (const [name, value] of Object.entries(EXPECTED)) {
      if (options[name] !== value) throw new Error(`the page bundles' XML parser supports ${name}: ${value} only (scripts/fxp-parser-slim.cjs)`)
    }
    const entities = options.processEntities
    if (!entities || entities.enabled !== true || Object.keys(entities).some((k) => k !== 'enabled' && k !== 'maxTotalExpansions')) {
      throw new Error("the page bundles' XML parser supports processEntities: { enabled: true, maxTotalExpansions } only")
    }
    this.maxExpansions = entities.maxTotalExpansions
    this.options = { textNodeName: '#text', alwaysCreateTextNode: false, isArray: options.isArray ?? (() => false) }
  }

  parse(xml) {
    this.expansions = 0
    return prettify(this.parseXml(String(xml)), this.options)
  }

  /** Entity references of a text, as fast-xml-parser replaces and counts them. */
  entities(val) {
    if (!val.includes('&')) return val
    for (let e = 0; e < ENTITIES.length; e++) {
      const [regex, replacement] = ENTITIES[e]
      // fast-xml-parser stops after the XML entities when no `&` is left; the HTML ones and &amp; follow otherwise.
      if (e === XML_ENTITY_COUNT && !val.includes('&')) return val
      const matches = val.match(regex)
      if (matches) {
        this.expansions += matches.length
        if (this.maxExpansions && this.expansions > this.maxExpansions) {
          throw new Error(`Entity expansion limit exceeded: ${this.expansions} > ${this.maxExpansions}`)
        }
      }
      val = val.replace(regex, replacement)
    }
    return val.replace(/&(amp|#38|#x26);/g, '&')
  }

  /** Adds the text collected so far to `node` (fast-xml-parser's saveTextToParentTag with these options). */
  saveText(text, node) {
    if (text) node.add('#text', this.entities(text))
    return ''
  }

  parseXml(xmlData) {
    xmlData = xmlData.replace(/\r\n?/g, '\n')
    const root = new XmlNode('!xml')
    const stack = []
    let node = root
    let text = ''
    for (let i = 0; i < xmlData.length; i++) {
      if (xmlData[i] !== '<') {
        text += xmlData[i]
        continue
      }
      if (xmlData[i + 1] === '/') {
        // A closing tag: its name is not compared with the open one's (nor is it by fast-xml-parser).
        const close = closingIndex(xmlData, '>', i, 'Closing Tag is not closed.')
        if (node) text = this.saveText(text, node)
        node = stack.pop()
        text = ''
        i = close
      } else if (xmlData[i + 1] === '?') {
        const tag = readTag(xmlData, i, '?>', false)
        if (!tag) throw new Error('Pi Tag is not closed.')
        text = this.saveText(text, node)
        const pi = new XmlNode(tag.name)
        pi.add('#text', '')
        node.addChild(pi)
        i = tag.close + 1
      } else if (xmlData.substr(i + 1, 3) === '!--') {
        i = closingIndex(xmlData, '-->', i + 4, 'Comment is not closed.')
      } else if (xmlData.substr(i + 1, 2) === '!D') {
        throw new Error('DOCTYPE is not supported in NOS responses')
      } else if (xmlData.substr(i + 1, 2) === '![') {
        const close = closingIndex(xmlData, ']]>', i, 'CDATA is not closed.') - 2
        text = this.saveText(text, node)
        node.add('#text', xmlData.substring(i + 9, close))
        i = close + 2
      } else {
        const tag = readTag(xmlData, i, '>', true)
        let name = tag.name
        if (name === '#text') throw new Error(`Invalid tag name: ${name}`)
        if (node && text && node.tagname !== '!xml') text = this.saveText(text, node)
        if (tag.exp.length > 0 && tag.exp.lastIndexOf('/') === tag.exp.length - 1) {
          // Self-closing: `<a/>` (the name keeps no trailing '/').
          if (name[name.length - 1] === '/') name = name.slice(0, -1)
          node.addChild(new XmlNode(name))
        } else {
          const child = new XmlNode(name)
          if (stack.length > 100) throw new Error('Maximum nested tags exceeded')
          stack.push(node)
          node.addChild(child)
          node = child
        }
        text = ''
        i = tag.close
      }
    }
    return root.child
  }
}

function closingIndex(xmlData, str, i, message) {
  const index = xmlData.indexOf(str, i)
  if (index === -1) throw new Error(message)
  return index + str.length - 1
}

/** A tag from `<` at `i` to `closing`, quotes respected: its name (namespace prefix removed if `ns`) and the rest. */
function readTag(xmlData, i, closing, ns) {
  let quote = ''
  let exp = ''
  for (let index = i + 1; index < xmlData.length; index++) {
    let ch = xmlData[index]
    if (quote) {
      if (ch === quote) quote = ''
    } else if (ch === '"' || ch === "'") {
      quote = ch
    } else if (ch === closing[0] && (!closing[1] || xmlData[index + 1] === closing[1])) {
      const separator = exp.search(/\s/)
      let name = separator === -1 ? exp : exp.substring(0, separator)
      const rest = separator === -1 ? exp : exp.substring(separator + 1).trimStart()
      const colon = name.indexOf(':')
      if (ns && colon !== -1) name = name.substr(colon + 1)
      return { name, exp: rest, close: index }
    } else if (ch === '\t') {
      ch = ' '
    }
    exp += ch
  }
}

module.exports = { XMLParser }
