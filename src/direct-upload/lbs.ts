/**
 * The edge-node lookup (LBS, docs/protocol.md#direct-upload): `GET <lbs>?version=1.0&bucketname=<bucket>` answers
 * `{ lbs, upload: [nodes, best first] }`. Answers are cached per LBS address and bucket for a TTL (injected clock);
 * a failing LBS is retried, then the fallback LBS is asked; a failing node makes the next lookup fresh.
 * @module
 */
import { ClientException, InvalidArgument } from '../core/errors.js'
import { edgeRequest } from './http.js'
import { chunkRetry, sleep } from './retry.js'
import type { DirectConfig } from './types.js'

interface Entry {
  nodes: string[]
  expires: number
}

/** Answers in memory, shared by every upload of this module instance (nothing is created at import time but the Map). */
const cache = new Map<string, Entry>()

/** Where and how to look nodes up. */
export interface LbsOptions {
  bucket: string
  lbsEndpoint: string
  lbsFallback: string | undefined
  ttlMs: number
  signal: AbortSignal
}

/** Checks an http(s) base URL (a node or an LBS address); `what` names it in the error. */
export function checkBaseUrl(value: unknown, what: string): string {
  let url: URL | undefined
  try {
    url = typeof value === 'string' ? new URL(value) : undefined
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new InvalidArgument(`${what} must be an http(s) URL, got ${JSON.stringify(value)}`)
  return String(value).replace(/\/+$/, '')
}

function nodesOf(json: Record<string, unknown>, from: string): string[] {
  const upload = json['upload']
  if (!Array.isArray(upload) || upload.length === 0) throw new ClientException(`LBS ${from} named no upload node: ${JSON.stringify(json).slice(0, 200)}`)
  return upload.map((n) => checkBaseUrl(n, `an upload node from LBS ${from}`))
}

async function ask(cfg: DirectConfig, lbs: string, bucket: string, signal: AbortSignal): Promise<string[]> {
  const retry = chunkRetry(cfg)
  const u = new URL(lbs)
  u.searchParams.set('version', '1.0')
  u.searchParams.set('bucketname', bucket)
  const url = u.href
  for (let attempt = 0; ; attempt++) {
    try {
      return nodesOf((await edgeRequest(cfg, { method: 'GET', url, signal })).json, lbs)
    } catch (e) {
      if (attempt >= retry.maxRetries || !retry.retryable(e)) throw e
      await sleep(retry.delay(attempt), signal)
    }
  }
}

/**
 * The upload nodes for a bucket, best first: cached, else from the LBS, else from the fallback LBS.
 * @example
 * const [node] = await edgeNodes(cfg, { bucket: 'my-bucket', lbsEndpoint: DEFAULT_LBS_ENDPOINT, lbsFallback: LBS_FALLBACK_ENDPOINT, ttlMs: 600000, signal })
 */
export async function edgeNodes(cfg: DirectConfig, o: LbsOptions): Promise<string[]> {
  const id = `${o.lbsEndpoint}\n${o.bucket}`
  const hit = cache.get(id)
  if (hit && cfg.now() < hit.expires) return hit.nodes
  let nodes: string[]
  try {
    nodes = await ask(cfg, o.lbsEndpoint, o.bucket, o.signal)
  } catch (e) {
    if (!o.lbsFallback || o.signal.aborted) throw e
    nodes = await ask(cfg, o.lbsFallback, o.bucket, o.signal)
  }
  cache.set(id, { nodes, expires: cfg.now() + o.ttlMs })
  return nodes
}

/** Drops the cached answer (a node it named failed). @example forgetEdgeNodes('http://lbs-eastchina1.126.net/lbs', 'my-bucket') */
export function forgetEdgeNodes(lbsEndpoint: string, bucket: string): void {
  cache.delete(`${lbsEndpoint}\n${bucket}`)
}
