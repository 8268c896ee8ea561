/** Types of test/contract/suite.mjs (plain JS so that every runtime can load it as it is). */
export interface ContractResult {
  passed: number
  failed: number
  /** The checks that ran, in order: equal to CONTRACT_CHECKS. */
  names: string[]
  failures: { name: string; error: string }[]
  ms: number
}
export interface ContractOptions {
  /** The nos-sdk module namespace (ESM/CJS) or the `NOS` global of the IIFE/UMD bundle. */
  NOS: unknown
  endpoint: string
  accessKeyId: string
  accessKeySecret: string
  bucket: string
  /** Key prefix of every object written; default `contract-<random>/`. */
  prefix?: string
  log?: (line: string) => void
  /** Extra NosClient options (tests of the suite itself). */
  clientOptions?: Record<string, unknown>
}
export declare const CONTRACT_CHECKS: readonly string[]
export declare function runContract(options: ContractOptions): Promise<ContractResult>
export declare function pseudoRandomBytes(n: number, seed?: number): Uint8Array<ArrayBuffer>
