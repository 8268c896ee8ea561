/**
 * A loopback HTTP proxy in front of the emulator that loses answers: for the nth request matching a rule, it lets
 * the emulator perform the request, waits for its whole answer, then destroys the client's socket instead of
 * relaying it. The client sees a network error for a request that succeeded: what a lost answer looks like.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface DropRule {
  /** Which requests count, e.g. `(r) => r.method === 'DELETE'`. */
  match: (req: { method: string; url: string }) => boolean
  /** 1-based positions among the matching requests whose answers are dropped. */
  nth: number[]
}

export interface DroppingProxy {
  endpoint: string
  /** Every request seen, with whether its answer was dropped. */
  seen: { method: string; url: string; status: number; dropped: boolean }[]
  setRules(rules: DropRule[]): void
  close(): Promise<void>
}

/** Starts a proxy to `target` (e.g. `emu.endpoint`) on 127.0.0.1, port 0. */
export async function droppingProxy(target: string, rules: DropRule[] = []): Promise<DroppingProxy> {
  const upstream = new URL(target)
  const seen: DroppingProxy['seen'] = []
  let active = rules
  let counts = active.map(() => 0)
  const agent = new http.Agent({ keepAlive: true })
  const server = http.createServer((req, res) => {
    const info = { method: req.method!, url: req.url! }
    let drop = false
    active.forEach((rule, i) => {
      if (rule.match(info) && rule.nth.includes(++counts[i]!)) drop = true
    })
    const out = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        const chunks: Buffer[] = []
        answer.on('data', (c: Buffer) => chunks.push(c))
        answer.on('end', () => {
          seen.push({ ...info, status: answer.statusCode ?? 0, dropped: drop })
          // The emulator has performed the request and answered: the answer is lost on its way to the client.
          if (drop) return req.socket.destroy()
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          res.end(Buffer.concat(chunks))
        })
      },
    )
    out.on('error', () => req.socket.destroy())
    req.pipe(out)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    setRules(next) {
      active = next
      counts = next.map(() => 0)
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        agent.destroy()
        server.close(() => r())
      }),
  }
}
