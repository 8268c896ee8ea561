/**
 * A loopback HTTP proxy in front of the emulator that rewrites what passes through: the request URL (e.g. drop the
 * `upload-id-marker` a server may ignore) and the request headers (e.g. drop `Range`, as a server that ignores it).
 * Only unsigned parts may be rewritten for the signature to stay valid (query parameters that are not
 * sub-resources, standard headers other than Content-Type/Content-MD5). Real HTTP both ways.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Rewrites {
  url?: (url: string, method: string) => string
  headers?: (headers: http.IncomingHttpHeaders, method: string) => http.IncomingHttpHeaders
}

export async function rewritingProxy(target: string, rewrites: Rewrites) {
  const upstream = new URL(target)
  const agent = new http.Agent({ keepAlive: true })
  const server = http.createServer((req, res) => {
    const method = req.method!
    const headers = { ...(rewrites.headers?.(req.headers, method) ?? req.headers), host: upstream.host }
    const out = http.request({ host: upstream.hostname, port: upstream.port, method, path: rewrites.url?.(req.url!, method) ?? req.url, headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    out.on('error', () => res.destroy())
    req.pipe(out)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        agent.destroy()
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

/** Removes query parameters by name from a request path; the others stay as they were written. */
export function dropQuery(url: string, ...names: string[]): string {
  const at = url.indexOf('?')
  if (at < 0) return url
  const kept = url.slice(at + 1).split('&').filter((pair) => !names.includes(decodeURIComponent(pair.split('=')[0]!)))
  return url.slice(0, at) + (kept.length ? `?${kept.join('&')}` : '')
}
