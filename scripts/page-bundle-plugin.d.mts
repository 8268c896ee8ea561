import type { Plugin } from 'esbuild'
/** esbuild plugin of the `<script>` bundles (see page-bundle-plugin.mjs). */
export declare const pageBundlePlugin: Plugin
/** Runtime exports of nos-sdk/browser the `<script>` bundles leave out. */
export declare const NOT_IN_PAGE_BUNDLES: readonly string[]
/** The full bundle's global names, and the direct-upload names it leaves to its own bundle. */
export declare function pageGlobalNames(): { full: string[]; directUpload: string[] }
/** Names of the full bundle the direct-upload bundle carries too. */
export declare const DIRECT_UPLOAD_ALSO: readonly string[]
