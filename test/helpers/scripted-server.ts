/**
 * A loopback HTTP server that answers from a script, for transport tests (retries, timeouts, error bodies).
 * Real HTTP: the SDK's own fetch pipeline is exercised end to end.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Step {
  status?: number
  headers?: Record<string, string>
  body?: string
  /** Never answer: the request stays in flight until the client gives up or the server closes. */
  hold?: boolean
  /** Destroy the socket instead of answering. */
  destroy?: boolean
}

export interface Seen {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  bodyLength: number
}

export async function scriptedServer(steps: Step[]) {
  const seen: Seen[] = []
  const waiters: { n: number; resolve: () => void }[] = []
  let i = 0
  const server = http.createServer((req, res) => {
    let n = 0
    req.on('data', (c: Buffer) => (n += c.length))
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, bodyLength: n })
      for (const w of waiters.filter((w) => w.n <= seen.length)) w.resolve()
      const step = steps[Math.min(i++, steps.length - 1)]!
      const answer = () => {
        if (step.destroy) return req.socket.destroy()
        res.writeHead(step.status ?? 200, { 'x-nos-request-id': `req${i}`, ...step.headers })
        res.end(step.body ?? '')
      }
      if (!step.hold) answer()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    /** Resolves once the server has read `n` requests in full (an event to act on, instead of a sleep). */
    requested: (n: number) => new Promise<void>((resolve) => (seen.length >= n ? resolve() : waiters.push({ n, resolve }))),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()) }),
  }
}
