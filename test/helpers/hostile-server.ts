/**
 * A loopback HTTP server that misbehaves the way a hostile or broken server could (the default NOS endpoint is
 * plain http): an endless body, or a body that stalls after its first bytes. Real HTTP, so the SDK's own fetch and
 * body reading are exercised; the emulator cannot be asked to do this.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface HostileAnswer {
  status: number
  headers?: Record<string, string>
  /** Written first. */
  head?: string
  /** Written again and again (with backpressure) until the client goes away. */
  repeat?: string
  /** After `head`, keep the response open without writing more. */
  stall?: boolean
}

export async function hostileServer(answer: HostileAnswer) {
  let written = 0
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(answer.status, { 'content-type': 'application/xml', 'x-nos-request-id': 'hostile', ...answer.headers })
      const write = (s: string) => {
        written += Buffer.byteLength(s)
        return res.write(s)
      }
      // Node drops the body of a HEAD response (every write "succeeds" at once): nothing to misbehave with.
      if (req.method === 'HEAD') return res.end()
      if (answer.head) write(answer.head)
      if (answer.stall) return
      if (!answer.repeat) return res.end()
      const chunk = answer.repeat.repeat(Math.max(1, Math.floor(65536 / answer.repeat.length)))
      let open = true
      res.on('close', () => (open = false))
      const pump = () => {
        // At most 64 chunks per turn, then wait for the socket: never a synchronous loop without end.
        for (let i = 0; open && i < 64; i++) if (!write(chunk)) return void res.once('drain', pump)
        if (open) setImmediate(pump)
      }
      pump()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    /** Bytes the server wrote before the client stopped reading. */
    written: () => written,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()) }),
  }
}
