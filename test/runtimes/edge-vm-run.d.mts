import type { ContractResult } from '../contract/suite.mjs'
export declare function runInEdgeVm(options: {
  endpoint: string
  accessKeyId?: string
  accessKeySecret?: string
  bucket?: string
  log?: (line: string) => void
}): Promise<ContractResult & { globals: { process: string; Buffer: string; require: string; subtle: string } }>
