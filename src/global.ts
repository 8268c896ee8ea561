/**
 * The `<script>` bundle (`window.NOS`, UMD): everything of `nos-sdk/browser` except the backend half of the
 * signing policy (`createPolicySigner`, `createSigningHandler`), which holds a secret and so never runs in a page,
 * likewise upload tokens (`createUploadToken`, `createUploadTokenHandler`), and the MD5s other than its own: it
 * hashes with the JavaScript MD5 (`createJsMd5`, as fast as spark-md5 at a quarter of its size), while the
 * WebAssembly MD5 (`createWasmMd5`, 2 kB gzip, the npm builds' default) and spark-md5 (`createSparkMd5`, 2.9 kB
 * gzip) come with the ESM entries: the 30 kB gzip budget. Direct upload has a `<script>` bundle of its own
 * (src/global-direct-upload.ts) that adds its names to this `NOS`.
 *
 * The list of names is derived, not kept: the page bundles' build loads this file as
 * `export { <names> } from './browser.js'`, with the names read from src/browser.ts minus the ones above
 * (`NOT_IN_PAGE_BUNDLES` and `pageGlobalNames()` in scripts/page-bundle-plugin.mjs). What the compiler sees here is
 * the whole browser entry; test/packaging/artefacts.test.ts checks the built `NOS` against the derived list.
 * @module
 */
export * from './browser.js'
