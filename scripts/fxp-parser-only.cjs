// The <script> bundles' fast-xml-parser (aliased in tsup.config.ts): only what `new XMLParser(options).parse(text)`
// runs without validation, the path src/core/xml.ts takes. The package's XMLParser class adds the validator branch, Buffer
// input and addEntity, and its main module the builder (7 KB minified); this is its parse() without them, over the
// package's own modules (pinned fast-xml-parser 4.5.7; test/packaging/page-bundles.test.ts parses through it).
'use strict'
const { buildOptions } = require('../node_modules/fast-xml-parser/src/xmlparser/OptionsBuilder.js')
const OrderedObjParser = require('../node_modules/fast-xml-parser/src/xmlparser/OrderedObjParser.js')
const { prettify } = require('../node_modules/fast-xml-parser/src/xmlparser/node2json.js')

class XMLParser {
  constructor(options) {
    this.options = buildOptions(options)
  }

  parse(xml) {
    return prettify(new OrderedObjParser(this.options).parseXml(xml), this.options)
  }
}

module.exports = { XMLParser }
