/**
 * Which build of nos-sdk is running.
 * @module
 */

/**
 * `'web'`: the build on web platform APIs alone (browsers, workers, edge runtimes, `platform: neutral` bundles);
 * `'node'`: the build that `import 'nos-sdk'` / `require('nos-sdk')` resolve to in Node, Bun and Deno (package.json
 * conditions `node`, `bun`, `deno`), which signs and hashes with `node:crypto`.
 * @example
 * import { NOS_SDK_BUILD } from 'nos-sdk'
 * console.log(NOS_SDK_BUILD) // 'node' in Node, 'web' in a browser bundle
 */
export const NOS_SDK_BUILD: 'web' | 'node' = 'web'
