/**
 * Deterministic pseudo-random bytes for Node tests: the contract suite's xorshift32 generator, the one copy. It
 * lives in test/contract/suite.mjs because that suite runs self-contained in browsers and other runtimes too.
 */
export { pseudoRandomBytes as randomBytes } from '../contract/suite.mjs'
