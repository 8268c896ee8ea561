// fast-xml-parser's src/util.js for the <script> bundles (scripts/page-bundle-plugin.mjs): what OptionsBuilder and
// OrderedObjParser use, copied from the pinned 4.5.7, without the XML-name regular expressions that only its validator
// and DOCTYPE reader (both left out of the bundles) use.
'use strict'
exports.isExist = (v) => typeof v !== 'undefined'
exports.getAllMatches = function (string, regex) {
  const matches = []
  let match = regex.exec(string)
  while (match) {
    const all = [...match]
    all.startIndex = regex.lastIndex - match[0].length
    matches.push(all)
    match = regex.exec(string)
  }
  return matches
}
exports.DANGEROUS_PROPERTY_NAMES = ['hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']
exports.criticalProperties = ['__proto__', 'constructor', 'prototype']
