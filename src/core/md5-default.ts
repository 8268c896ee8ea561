/**
 * The MD5 of the web builds when the client is given none: WebAssembly where it may be compiled, else JavaScript.
 * The `<script>` bundles replace this module with src/core/md5-default-page.ts (tsup.config.ts), and the Node build
 * passes `node:crypto` explicitly.
 * @module
 */
export { createWasmMd5 as defaultMd5 } from './md5-wasm.js'
