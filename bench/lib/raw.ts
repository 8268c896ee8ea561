/** The references: raw `node:http` requests with precomputed signatures (presigned URLs or signed headers). */
import { Agent, request } from 'node:http'

/** One keep-alive agent per reference run, like fetch's pool. */
export function newAgent(maxSockets = 64): Agent {
  return new Agent({ keepAlive: true, maxSockets })
}

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  bytes: number
  body?: Buffer
}

/** PUT `body` (written with one `end()`, as a plain node:http client would) and drain the response. */
export function rawPut(url: string, body: Uint8Array, headers: Record<string, string>, agent: Agent): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', agent, headers: { ...headers, 'Content-Length': String(body.length) } }, (res) => {
      let bytes = 0
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => ((bytes += c.length), chunks.push(c)))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** GET and count the bytes (not kept), optionally feeding each chunk to `onChunk`. */
export function rawGet(url: string, headers: Record<string, string>, agent: Agent, onChunk?: (c: Buffer) => void): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent, headers }, (res) => {
      let bytes = 0
      res.on('data', (c: Buffer) => {
        bytes += c.length
        onChunk?.(c)
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      await fn(items[i]!, i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
