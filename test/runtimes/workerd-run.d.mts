import type { ContractResult } from '../contract/suite.mjs'
export declare const COMPATIBILITY_DATE: string
export interface WorkerdContractResult extends ContractResult {
  lines: string[]
  /** `typeof process`, `typeof Buffer`, `typeof require` inside the worker, and navigator.userAgent. */
  globals: { process: string; Buffer: string; require: string; navigator?: string }
}
export declare function runInWorkerd(options: {
  endpoint: string
  accessKeyId?: string
  accessKeySecret?: string
  bucket?: string
  builds?: ('iife' | 'esm')[]
}): Promise<Record<'iife' | 'esm', WorkerdContractResult>>
