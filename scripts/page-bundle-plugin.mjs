/**
 * esbuild plugin of the `<script>` bundles (tsup.config.ts `browserBundle`): what a page never runs is left out, to
 * keep the full bundle within its 30 kB gzip budget (.size-limit.json).
 *
 *   - fast-xml-parser becomes scripts/fxp-parser-slim.cjs: the package's own parse for the one set of options
 *     src/core/xml.ts passes, without the branches those options never reach, the validator, the builder, the
 *     DOCTYPE reader and the number parser (2.9 kB gzip less than the package's modules on the full bundle;
 *     test/unit/fxp-parser-slim.test.ts checks it parses exactly as fast-xml-parser does; other options throw).
 *   - src/core/md5-default.ts becomes src/core/md5-default-page.ts: the JavaScript MD5 instead of the WebAssembly module with
 *     its fallback (the module is 2 kB gzip; pages that want it import `createWasmMd5` from the npm build).
 *   - The bundles' names are derived from src/browser.ts by `pageGlobalNames()` below, not kept by hand. src/global.ts
 *     (the full bundle, `NOS`) is loaded as `export { <names> } from './browser.js'`: every runtime export of
 *     `nos-sdk/browser` except NOT_IN_PAGE_BUNDLES and direct upload's. In src/global-direct-upload.ts (the direct-upload
 *     bundle) `import * as browser from './browser.js'` becomes those direct-upload names plus DIRECT_UPLOAD_ALSO.
 *
 * fetch-retry is the package itself (its browser build, +0.43 kB gzip over the 12-line stand-in the bundles used
 * before; measured with `npm run build && npx size-limit`, the full bundle stays within 30 kB).
 */
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const WEB_MD5 = fileURLToPath(new URL('../src/core/md5-default.js', import.meta.url))
const PAGE_MD5 = fileURLToPath(new URL('../src/core/md5-default-page.ts', import.meta.url))
const FXP_SLIM = fileURLToPath(new URL('./fxp-parser-slim.cjs', import.meta.url))

/**
 * Runtime exports of nos-sdk/browser the `<script>` bundles leave out: the backend half of signing and upload tokens
 * (they hold a secret, so they never run in a page), and the MD5s other than the bundles' own JavaScript one: the
 * WebAssembly MD5 (2 kB gzip) and spark-md5 (2.9 kB gzip) come with the ESM entries (the 30 kB gzip budget).
 */
export const NOT_IN_PAGE_BUNDLES = [
  'createPolicySigner', 'createSigningHandler', 'createUploadToken', 'createUploadTokenHandler', 'DEFAULT_UPLOAD_TOKEN_EXPIRES',
  'MAX_UPLOAD_TOKEN_EXPIRES', 'createWasmMd5', 'isWasmMd5Available', 'createSparkMd5',
]

/**
 * Names of the full bundle that the direct-upload bundle carries too, for pages that load it alone: the checkpoint
 * stores and the error guards (`isNosErrorKind` works across the two copies).
 */
export const DIRECT_UPLOAD_ALSO = [
  'LocalStorageCheckpointStore', 'MemoryCheckpointStore', 'isAbortError', 'isClientException', 'isNosErrorKind', 'isNosException', 'isServiceException',
]

/** Modules whose exports are direct upload's: in its own bundle (src/global-direct-upload.ts), not in the full one. */
const DIRECT_UPLOAD_MODULE = /[\\/]src[\\/](?:direct-upload[\\/]|adapters[\\/]browser[\\/]direct-upload-file\.ts$)/
const SRC = fileURLToPath(new URL('../src/', import.meta.url))
const BROWSER_ENTRY = resolve(SRC, 'browser.ts')
const GLOBAL_ENTRY = resolve(SRC, 'global.ts')
const DIRECT_UPLOAD_ENTRY = resolve(SRC, 'global-direct-upload.ts')

/** Each runtime (value) export of src/browser.ts with the file that declares it, read by the TypeScript compiler. */
function browserExports() {
  const program = ts.createProgram([BROWSER_ENTRY], {
    module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022,
    noEmit: true, skipLibCheck: true, types: [],
  })
  const checker = program.getTypeChecker()
  const entry = checker.getSymbolAtLocation(program.getSourceFile(BROWSER_ENTRY))
  if (!entry) throw new Error(`page-bundle-plugin: cannot read the exports of ${BROWSER_ENTRY}`)
  const values = []
  for (const symbol of checker.getExportsOfModule(entry)) {
    const alias = (symbol.flags & ts.SymbolFlags.Alias) !== 0
    // `export type { X }` of a class re-exports its type only: nothing a page could call.
    const specifier = symbol.declarations?.[0]
    if (specifier && ts.isExportSpecifier(specifier) && (specifier.isTypeOnly || specifier.parent.parent.isTypeOnly)) continue
    const target = alias ? checker.getAliasedSymbol(symbol) : symbol
    // The module the entries name for it (one hop, not the final declaration): a direct-upload constant defined with the
    // other NOS limits in core/limits.ts and re-exported by direct-upload/types.ts is direct upload's.
    const named = alias ? checker.getImmediateAliasedSymbol(symbol) ?? target : symbol
    if (target.flags & ts.SymbolFlags.Value) values.push({ name: symbol.name, file: named.declarations?.[0]?.getSourceFile().fileName ?? '' })
  }
  return values
}

let cached
/**
 * The names of the global `NOS` of the full bundle (`full`) and of the direct-upload bundle (`directUpload`: direct
 * upload's own names, which the full bundle leaves out, plus DIRECT_UPLOAD_ALSO), derived from src/browser.ts (about
 * 2 s of compiler time, once).
 */
export function pageGlobalNames() {
  if (!cached) {
    const exports = browserExports().filter((e) => !NOT_IN_PAGE_BUNDLES.includes(e.name))
    const direct = exports.filter((e) => DIRECT_UPLOAD_MODULE.test(e.file))
    cached = {
      full: exports.filter((e) => !direct.includes(e)).map((e) => e.name).sort(),
      directUpload: [...direct.map((e) => e.name), ...DIRECT_UPLOAD_ALSO].sort(),
    }
  }
  return cached
}

/** @type {import('esbuild').Plugin} */
export const pageBundlePlugin = {
  name: 'nos-page-bundle',
  setup(build) {
    build.onResolve({ filter: /^fast-xml-parser$/ }, () => ({ path: FXP_SLIM }))
    build.onLoad({ filter: /[\\/]global\.ts$/ }, (args) =>
      args.path === GLOBAL_ENTRY
        ? { contents: `export { ${pageGlobalNames().full.join(', ')} } from './browser.js'\n`, loader: 'ts', resolveDir: dirname(GLOBAL_ENTRY) }
        : undefined,
    )
    build.onLoad({ filter: /[\\/]global-direct-upload\.ts$/ }, async (args) => {
      if (args.path !== DIRECT_UPLOAD_ENTRY) return undefined
      const source = await readFile(args.path, 'utf8')
      const names = pageGlobalNames().directUpload.join(', ')
      const namespace = "import * as browser from './browser.js'"
      if (!source.includes(namespace)) throw new Error(`page-bundle-plugin: ${args.path} no longer has \`${namespace}\``)
      return { contents: source.replace(namespace, `import { ${names} } from './browser.js'\nconst browser = { ${names} }`), loader: 'ts' }
    })
    build.onResolve({ filter: /\/md5-default\.js$/ }, (args) => (resolve(args.resolveDir, args.path) === WEB_MD5 ? { path: PAGE_MD5 } : undefined))
  },
}
