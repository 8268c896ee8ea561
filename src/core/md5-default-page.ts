/**
 * The MD5 of the `<script>` bundles (swapped in for src/core/md5-default.ts by tsup.config.ts): the JavaScript MD5 alone,
 * which keeps the WebAssembly module (2 kB gzip) and spark-md5 (2.9 kB gzip) out of the 30 kB page budget.
 * @module
 */
export { createJsMd5 as defaultMd5 } from './md5-js.js'
