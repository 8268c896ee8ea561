/**
 * Browser helpers: `nos-sdk/browser`.
 * @module
 */
export * as placeholder from './index.js'
