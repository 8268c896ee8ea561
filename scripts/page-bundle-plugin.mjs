/**
 * esbuild plugin of the `<script>` bundles (tsup.config.ts `browserBundle`): what a page never runs is left out, to
 * keep the full bundle within its 30 kB gzip budget (.size-limit.json).
 *
 *   - fast-xml-parser: its XMLParser is scripts/fxp-parser-only.cjs (parse without validation, the only call
 *     src/core/xml.ts makes: no validator, no builder); its DOCTYPE reader and `strnum` are stubs that throw (NOS never sends
 *     a DOCTYPE, and src/core/xml.ts refuses one before parsing, in every build; every value stays a string, so numbers are
 *     never parsed); its util.js is scripts/fxp-util-slim.cjs, without the XML-name regular expressions only the
 *     left-out modules use. About 4 kB gzip together.
 *   - fetch-retry becomes scripts/fetch-retry-lite.cjs, the part of its contract src/core/transport.ts uses (0.5 kB gzip).
 *   - src/core/md5-default.ts becomes src/core/md5-default-page.ts: the JavaScript MD5 instead of the WebAssembly module with
 *     its fallback (the module is 2 kB gzip; pages that want it import `createWasmMd5` from the npm build).
 *
 * Each stub throws when used, so a change in fast-xml-parser that starts using one fails loudly
 * (test/packaging/page-bundles.test.ts parses through the bundle and checks a DOCTYPE is refused).
 */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const STUBS = {
  './DocTypeReader':
    'module.exports = class { readDocType() { throw new Error("DOCTYPE is not supported in NOS responses") } }',
  strnum: 'module.exports = function () { throw new Error("fast-xml-parser number parsing is not in this bundle") }',
}

const WEB_MD5 = fileURLToPath(new URL('../src/core/md5-default.js', import.meta.url))
const PAGE_MD5 = fileURLToPath(new URL('../src/core/md5-default-page.ts', import.meta.url))
const FETCH_RETRY_LITE = fileURLToPath(new URL('./fetch-retry-lite.cjs', import.meta.url))
const FXP_UTIL = fileURLToPath(new URL('./fxp-util-slim.cjs', import.meta.url))

/** @type {import('esbuild').Plugin} */
export const pageBundlePlugin = {
  name: 'nos-page-bundle',
  setup(build) {
    build.onResolve({ filter: /^(\.\/DocTypeReader|strnum)$/ }, (args) =>
      /[\\/]fast-xml-parser[\\/]/.test(args.importer) ? { path: args.path, namespace: 'nos-stub' } : undefined,
    )
    build.onLoad({ filter: /.*/, namespace: 'nos-stub' }, (args) => ({ contents: STUBS[args.path], loader: 'js' }))
    build.onResolve({ filter: /^\.\.\/util$/ }, (args) => (/[\\/]fast-xml-parser[\\/]/.test(args.importer) ? { path: FXP_UTIL } : undefined))
    build.onResolve({ filter: /^fetch-retry$/ }, () => ({ path: FETCH_RETRY_LITE }))
    build.onResolve({ filter: /\/md5-default\.js$/ }, (args) => (resolve(args.resolveDir, args.path) === WEB_MD5 ? { path: PAGE_MD5 } : undefined))
  },
}
