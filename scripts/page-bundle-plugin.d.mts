import type { Plugin } from 'esbuild'
/** esbuild plugin of the `<script>` bundles (see page-bundle-plugin.mjs). */
export declare const pageBundlePlugin: Plugin
