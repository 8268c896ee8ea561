#!/usr/bin/env node
/**
 * Wraps tsup's minified IIFE (`dist/nos-sdk.global.min.js`, which sets `var NOS = ...`) into a true UMD file,
 * `dist/nos-sdk.umd.min.js`, because tsup has no `umd` format. The result works as
 *   - AMD:      `define([], factory)` when `define.amd` is present (RequireJS & co.), anonymous module;
 *   - CommonJS: `module.exports = factory()` when `module.exports` exists;
 *   - a global: `NOS` on `globalThis` / `self` / `this` otherwise (`<script src>`).
 * The IIFE's `var NOS` becomes a local of the factory, so nothing leaks in the AMD and CommonJS cases.
 * The source map is carried over: the wrapper's header takes exactly one line, so every mapping moves down
 * by one line (one `;` in front of `mappings`).
 *
 * Run after `tsup` (`npm run build`). Usage: node scripts/build-umd.mjs [distDir]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const dist = resolve(process.argv[2] ?? 'dist')
const GLOBAL_NAME = 'NOS'
const input = join(dist, 'nos-sdk.global.min.js')
const output = join(dist, 'nos-sdk.umd.min.js')

if (!existsSync(input)) {
  console.error(`build-umd: ${input} is missing; run tsup first (npm run build).`)
  process.exit(1)
}

const SOURCE_MAP_COMMENT = /\n?\/\/# sourceMappingURL=\S+\s*$/
let code = readFileSync(input, 'utf8').replace(SOURCE_MAP_COMMENT, '')
const declaration = new RegExp(`(^|[;\\s])var ${GLOBAL_NAME}=`)
if (!declaration.test(code)) {
  console.error(`build-umd: ${input} does not declare \`var ${GLOBAL_NAME}\`; is tsup's globalName still '${GLOBAL_NAME}'?`)
  process.exit(1)
}

// One line, no newline inside: the source-map shift below depends on it.
const header =
  '(function(r,f){' +
  'if(typeof define=="function"&&define.amd)define([],f);' +
  'else if(typeof module=="object"&&module&&module.exports)module.exports=f();' +
  `else r.${GLOBAL_NAME}=f()` +
  '})(typeof globalThis<"u"?globalThis:typeof self<"u"?self:this,function(){\n'
const footer = `\nreturn ${GLOBAL_NAME}});\n`

const hasMap = existsSync(`${input}.map`)
writeFileSync(output, header + code + footer + (hasMap ? '//# sourceMappingURL=nos-sdk.umd.min.js.map\n' : ''))

if (hasMap) {
  const map = JSON.parse(readFileSync(`${input}.map`, 'utf8'))
  map.file = 'nos-sdk.umd.min.js'
  map.mappings = ';' + map.mappings
  writeFileSync(`${output}.map`, JSON.stringify(map))
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`
console.log(`build-umd: ${output} (${kb(readFileSync(output).length)})`)
