/**
 * Node-only helpers: `nos-sdk/node`.
 * @module
 */
export * as placeholder from './index.js'
