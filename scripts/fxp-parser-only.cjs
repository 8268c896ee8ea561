// The browser bundles use only XMLParser: this entry leaves out fast-xml-parser's builder (about 7 KB
// minified), which `fast-xml-parser`'s main module always pulls in. Aliased in tsup.config.ts.
'use strict'
module.exports = { XMLParser: require('../node_modules/fast-xml-parser/src/xmlparser/XMLParser.js') }
