/**
 * esbuild plugin of the `<script>` bundles (tsup.config.ts `browserBundle`): what a page never runs is left out, to
 * keep the full bundle within its 30 kB gzip budget (.size-limit.json).
 *
 *   - fast-xml-parser's validator (`parse(xml, true)`, which the SDK never calls: src/xml.ts checks completeness
 *     itself), its DOCTYPE reader (NOS never sends a DOCTYPE; src/xml.ts refuses one before parsing, in every build,
 *     and the stub throws should one ever reach the parser) and `strnum` (numbers are never parsed: every value stays
 *     a string). About 3.5 kB gzip.
 *   - fetch-retry becomes scripts/fetch-retry-lite.cjs, the part of its contract src/transport.ts uses (0.5 kB gzip).
 *   - src/md5-default.ts becomes src/md5-default-page.ts: the JavaScript MD5 instead of the WebAssembly module with
 *     its fallback (the module is 2 kB gzip; pages that want it import `createWasmMd5` from the npm build).
 *
 * Each stub is a module that throws when used, so a change in fast-xml-parser that starts using one fails loudly
 * (test/packaging checks a DOCTYPE is refused by the bundle).
 */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const STUBS = {
  '../validator': 'exports.validate = function () { throw new Error("fast-xml-parser validator is not in this bundle") }',
  './DocTypeReader':
    'module.exports = class { readDocType() { throw new Error("DOCTYPE is not supported in NOS responses") } }',
  strnum: 'module.exports = function () { throw new Error("fast-xml-parser number parsing is not in this bundle") }',
}

const WEB_MD5 = fileURLToPath(new URL('../src/md5-default.js', import.meta.url))
const PAGE_MD5 = fileURLToPath(new URL('../src/md5-default-page.ts', import.meta.url))
const FETCH_RETRY_LITE = fileURLToPath(new URL('./fetch-retry-lite.cjs', import.meta.url))

/** @type {import('esbuild').Plugin} */
export const pageBundlePlugin = {
  name: 'nos-page-bundle',
  setup(build) {
    build.onResolve({ filter: /^(\.\.\/validator|\.\/DocTypeReader|strnum)$/ }, (args) =>
      /[\\/]fast-xml-parser[\\/]/.test(args.importer) ? { path: args.path, namespace: 'nos-stub' } : undefined,
    )
    build.onLoad({ filter: /.*/, namespace: 'nos-stub' }, (args) => ({ contents: STUBS[args.path], loader: 'js' }))
    build.onResolve({ filter: /^fetch-retry$/ }, () => ({ path: FETCH_RETRY_LITE }))
    build.onResolve({ filter: /\/md5-default\.js$/ }, (args) => (resolve(args.resolveDir, args.path) === WEB_MD5 ? { path: PAGE_MD5 } : undefined))
  },
}
