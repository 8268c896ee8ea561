/**
 * Build of every artefact in `dist/` (run by `npm run build` = `tsup && node scripts/build-umd.mjs`).
 *
 * | config       | entries                        | platform | formats         | output in dist/                             |
 * |--------------|--------------------------------|----------|-----------------|---------------------------------------------|
 * | library      | index, index-node, browser,    | neutral  | esm, cjs, dts   | <entry>.{js,cjs,d.ts,d.cts}, chunk-*.js     |
 * |              | node, emulator, signer         |          |                 |                                             |
 * | emulator-cli | emulator-cli                   | node     | esm             | emulator-cli.js (bin `nos-emulator`)        |
 * | global       | nos-sdk (src/browser.ts)       | browser  | iife (minified) | nos-sdk.global.min.js (global `NOS`)        |
 * | direct-upload| src/global-direct-upload.ts    | browser  | iife (minified) | nos-sdk.direct-upload.min.js (adds to `NOS`)|
 *
 * `scripts/build-umd.mjs` then wraps the IIFE into the UMD file `dist/nos-sdk.umd.min.js` (tsup has no UMD).
 *
 * Dependencies stay external in the npm builds (esm/cjs): the user's bundler or runtime resolves them once,
 * and `fetch-retry`/`spark-md5` (CJS) keep their own interop. Only the `<script>` bundle inlines them.
 *
 * tsup runs the configs of the array in parallel, so `clean: true` in any one of them would race with the
 * others' writes; `dist/` is emptied once here, before any build starts, instead.
 */
import { rmSync } from 'node:fs'
import { defineConfig, type Options } from 'tsup'
import { pageBundlePlugin } from './scripts/page-bundle-plugin.mjs'

const shared = {
  outDir: 'dist',
  sourcemap: true,
  // tsup 8 rewrites `node:fs` to `fs` by default; keep the prefix, which Deno requires and Bun and Node accept.
  removeNodeProtocol: false,
} satisfies Options

/** The single-file browser bundles: minified, every dependency inlined. */
const browserBundle = {
  ...shared,
  entry: { 'nos-sdk': 'src/global.ts' },
  platform: 'browser',
  // ES2022 keeps native #private fields and class fields (ES2020 would emulate them with WeakMaps, ~0.4 kB gzip):
  // every browser of the last four years runs them.
  target: 'es2022',
  // Terser after esbuild: 0.55 kB gzip smaller than esbuild's own minifier on the full bundle (passes: 3 measured
  // against 1 and 2). `unsafe_arrows` only turns function expressions that use no
  // `this`/`arguments` into arrows. Each config gets its own options object: terser writes into `compress` (the ES
  // module build's `module: true` leaked into the IIFE's and dropped its `var NOS`).
  minify: 'terser',
  get terserOptions() {
    return { ecma: 2020, compress: { passes: 3, unsafe_arrows: true } } as const
  },
  splitting: false,
  dts: false,
  noExternal: [/.*/],
  // What a page never runs is left out (fast-xml-parser's validator, builder, DOCTYPE reader, number parser and the
  // branches of its parse that src/core/xml.ts's options never reach), the MD5 is the JavaScript one, and the global's
  // names are derived from src/browser.ts: scripts/page-bundle-plugin.mjs. fetch-retry is the package itself.
  esbuildPlugins: [pageBundlePlugin],
} satisfies Options

export default defineConfig((cli): Options[] => {
  if (!cli.watch) rmSync('dist', { recursive: true, force: true })

  return [
    {
      // The npm entries, built together so that their ESM outputs share chunks: `nos-sdk/node` re-exports the
      // whole core, and built on its own it would carry a second copy of it (classes, errors, caches) and of its
      // declarations. Platform 'neutral': web platform APIs only (docs/architecture.md#portable-core), no `browser`/`node`
      // conditions. `node:*` stays external for the Node-only entries (node, emulator); that the core never
      // reaches one (index, browser and their chunks) is checked by test/packaging/artefacts.test.ts. A bare
      // built-in (`fs` instead of `node:fs`, which Deno rejects) fails this build.
      // CJS has no chunks (tsup splits ESM only), so each .cjs file is self-contained.
      ...shared,
      name: 'library',
      entry: {
        index: 'src/index.ts',
        // `nos-sdk` in Node, Bun and Deno (package.json conditions node/bun/deno): node:crypto MD5 and HMAC.
        'index-node': 'src/index-node.ts',
        browser: 'src/browser.ts',
        node: 'src/node.ts',
        emulator: 'src/emulator/index.ts',
        // `nos-sdk/signer`, the pure signer alone (docs/architecture.md#a-pure-signer). Being an entry of its own also keeps the signer
        // and its encoding in a chunk of their own, free of the CJS dependencies (spark-md5, fetch-retry,
        // fast-xml-parser) a bundler cannot drop: importing only presignQuery from `nos-sdk` stays ~1 kB.
        signer: 'src/signer.ts',
      },
      platform: 'neutral',
      format: ['esm', 'cjs'],
      target: 'es2022',
      dts: true,
      external: [/^node:/],
      esbuildOptions(options) {
        // Only consulted for something that is bundled (dependencies are external); ESM first, then CJS.
        options.mainFields = ['module', 'main']
      },
    },
    {
      ...shared,
      name: 'emulator-cli',
      entry: { 'emulator-cli': 'src/emulator/cli.ts' },
      platform: 'node',
      format: ['esm'],
      target: 'node20',
      dts: false,
      // No `banner`: src/emulator/cli.ts starts with `#!/usr/bin/env node`, which esbuild keeps at the top of
      // the output (a banner would add a second one, a syntax error). test/packaging checks it is there once.
    },
    {
      // The `nos` command line. src/cli/main.ts has no shebang of its own, so the banner adds the only one.
      ...shared,
      name: 'cli',
      entry: { cli: 'src/cli/main.ts' },
      platform: 'node',
      format: ['esm'],
      target: 'node20',
      dts: false,
      banner: { js: '#!/usr/bin/env node' },
    },
    {
      // `<script src=".../nos-sdk.global.min.js">` -> `window.NOS`; everything inlined, dependencies included.
      // The entry (src/global.ts) is `nos-sdk/browser` minus the server-only parts.
      ...browserBundle,
      name: 'global',
      format: ['iife'],
      globalName: 'NOS',
      outExtension: () => ({ js: '.global.min.js' }),
    },
    {
      // `<script src=".../nos-sdk.direct-upload.min.js">`: direct upload for pages, on its own budget; it adds its
      // names to the global `NOS` (src/global-direct-upload.ts), so it runs after the full bundle or alone.
      ...browserBundle,
      name: 'direct-upload',
      entry: { 'nos-sdk.direct-upload': 'src/global-direct-upload.ts' },
      format: ['iife'],
      outExtension: () => ({ js: '.min.js' }),
    },
    {
      // `<script type="module">import { NosClient } from '.../nos-sdk.browser.min.mjs'`: the same contents as the
      // global bundle as one ES module, so a page needs no import map (the dependencies are CommonJS, which
      // browsers cannot import).
      ...browserBundle,
      name: 'browser-esm',
      format: ['esm'],
      outExtension: () => ({ js: '.browser.min.mjs' }),
    },
  ]
})
