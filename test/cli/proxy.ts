/**
 * A forwarding HTTP proxy in front of the emulator, for tests that must act at a precise moment of a `nos`
 * run: `hold(match)` resolves when a matching request arrives and keeps it from reaching the emulator until
 * `release()` (or forever, for a request the interrupted client abandons); `before(match, fn)` runs `fn` (e.g.
 * another client deleting a key) before the request is forwarded. Events, not sleeps. Bodies and answers pass
 * through unchanged; the Host header is the emulator's (it is not signed).
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What a rule matches: method and a test on the path with its query string. */
export interface Match {
  method: string
  url: RegExp
  /** The n-th matching request (1-based); default every one. */
  nth?: number
}

interface Rule {
  match: Match
  seen: number
  act: (req: IncomingMessage) => Promise<void>
}

/** A running proxy. */
export interface Proxy {
  endpoint: string
  /** Resolves when the matching request arrives; that request waits until `release()` is called. */
  hold(match: Match): { arrived: Promise<void>; release: () => void }
  /** Runs `fn` before forwarding each matching request. */
  before(match: Match, fn: () => Promise<void>): void
  close(): Promise<void>
}

function forward(req: IncomingMessage, res: import('node:http').ServerResponse, target: URL): void {
  const upstream = request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    },
  )
  upstream.on('error', () => res.destroy())
  req.on('close', () => {
    if (!req.complete) upstream.destroy()
  })
  req.pipe(upstream)
}

/** Starts a proxy to `endpoint` on 127.0.0.1, port 0. */
export async function startProxy(endpoint: string): Promise<Proxy> {
  const target = new URL(endpoint)
  const rules: Rule[] = []
  const server: Server = createServer((req, res) => {
    void (async () => {
      for (const r of rules) {
        if (req.method !== r.match.method || !r.match.url.test(req.url ?? '')) continue
        r.seen++
        if (r.match.nth === undefined || r.match.nth === r.seen) await r.act(req)
      }
      if (!req.destroyed) forward(req, res, target)
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    hold(match) {
      let arrive!: () => void
      let release!: () => void
      const arrived = new Promise<void>((r) => (arrive = r))
      const released = new Promise<void>((r) => (release = r))
      rules.push({ match, seen: 0, act: async () => (arrive(), await released) })
      return { arrived, release }
    },
    before(match, fn) {
      rules.push({ match, seen: 0, act: fn })
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
