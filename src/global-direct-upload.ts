/**
 * The direct-upload `<script>` bundle (`dist/nos-sdk.direct-upload.min.js`, 13 kB gzip budget, MD5 included): token-based direct upload
 * for pages, kept out of the full `NOS` bundle so that it stays within its own budget. Loaded after the full
 * bundle, it adds what that lacks to the global `NOS`; loaded alone, `NOS` holds just these. Names the full bundle
 * already has are left as they are (check errors with `isNosErrorKind`, which works across the two copies).
 *
 * Its names are derived, not kept: the page bundles' build narrows the `import * as browser` below to direct upload's
 * exports of src/browser.ts plus the checkpoint stores and error guards (`pageGlobalNames()` and `DIRECT_UPLOAD_ALSO`
 * in scripts/page-bundle-plugin.mjs). test/packaging/artefacts.test.ts checks the built `NOS` against that list.
 * @module
 */
import * as browser from './browser.js'

const g = globalThis as { NOS?: Record<string, unknown> }
const target = (g.NOS ??= {})
for (const [name, value] of Object.entries(browser)) if (!(name in target)) target[name] = value
