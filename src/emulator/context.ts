/**
 * Per-request state and the response writers every handler uses. Every response carries `x-nos-request-id`
 * (32 lower-case hex), `Server: NOS` and a GMT `Date`; HEAD responses never have a body; errors are XML, or JSON
 * when the request asked with `x-nos-entity-type: json` (docs/protocol.md#response-headers-and-xml,
 * docs/protocol.md#errors).
 * @module
 */
import { randomBytes } from 'node:crypto'
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { nosEncode } from './signing.js'
import { matchCors, PERMISSIVE_RULE, type CorsRule } from './cors.js'
import { NosError } from './errors.js'
import type { FaultInjector } from './faults.js'
import type { Store } from './store.js'
import { formatGmt } from './time.js'
import type { FaultAction, OpName, RequestLogEntry } from './types.js'
import { xmlDocument } from './xml.js'

/** A known credential. */
export interface Account {
  accessKeyId: string
  secret: string
  ownerId: string
  displayName: string
}

/** Options after defaults. */
export interface Settings {
  now: () => number
  maxSkewMs: number
  endpointHost: string
  /** Hosts whose sub-domains name buckets (docs/protocol.md#endpoints-and-addressing). */
  baseHosts: string[]
  permissive: boolean
  accounts: Map<string, Account>
  displayNames: Map<string, string>
  defaultOwner: string
  log: boolean
  /** Lifetime of a direct-upload context in ms (docs/protocol.md#direct-upload). */
  uploadContextTtlMs: number
  /** Upload nodes the LBS names; undefined: this emulator. */
  lbsNodes: string[] | undefined
}

/** Shared state of one emulator instance. */
export interface Env {
  settings: Settings
  store: Store
  faults: FaultInjector
  requests: RequestLogEntry[]
  /** Bumped by clearRequestLog(): requests that started earlier are not logged when they finish. */
  logEpoch: number
}

/** Who sent the request; null while anonymous. */
export interface Principal {
  accessKeyId: string
  ownerId: string
}

type HeaderMap = Record<string, string | number>

/** Bodies larger than this are not drained after an early error: the connection is closed instead. */
const DRAIN_LIMIT = 104_857_600

/** One request being served. */
export class Ctx {
  readonly requestId = randomBytes(16).toString('hex')
  readonly started = performance.now()
  readonly method: string
  readonly rawPath: string
  readonly rawQuery: string
  /** Decoded query; `null` for a parameter without `=`. First occurrence wins. */
  query: Record<string, string | null> = {}
  /** Lower-case names; duplicates joined with `,` (docs/protocol.md#signing). */
  readonly headers: Record<string, string> = {}
  bucket: string | undefined
  key: string | undefined
  /** The key exactly as it appeared in the path (still percent-encoded). */
  rawKey: string | undefined
  op: OpName = 'unknown'
  principal: Principal | null = null
  bytesIn = 0
  bytesOut = 0
  errorCode: string | undefined
  fault: FaultAction | undefined
  /** Status of a response written straight to the socket (see {@link Ctx.rawError}). */
  rawStatus: number | undefined
  /** {@link Env.logEpoch} when the request arrived. */
  readonly logEpoch: number

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly env: Env,
  ) {
    this.logEpoch = env.logEpoch
    this.method = (req.method ?? 'GET').toUpperCase()
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    this.rawPath = q < 0 ? url : url.slice(0, q)
    this.rawQuery = q < 0 ? '' : url.slice(q + 1)
    const raw = req.rawHeaders
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i]!.toLowerCase()
      const value = raw[i + 1]!.trim()
      this.headers[name] = name in this.headers ? `${this.headers[name]},${value}` : value
    }
  }

  /** The clock of this emulator (ms). */
  now(): number {
    return this.env.settings.now()
  }

  /** `/bucket/encodedKey`, as in `<Resource>` (docs/protocol.md#errors). */
  resource(): string {
    if (!this.bucket) return '/'
    return `/${this.bucket}/${this.key ? nosEncode(this.key) : ''}`
  }

  /** The CORS rule that applies to this (actual or preflight) request, if any (docs/protocol.md#cors-configuration). */
  corsRule(method: string, requestHeaders?: string[]): CorsRule | undefined {
    const origin = this.headers['origin']
    if (!origin) return undefined
    const rules = this.bucket ? this.env.store.bucket(this.bucket)?.cors : undefined
    if (rules) return matchCors(rules, origin, method, requestHeaders)
    return this.env.settings.permissive ? PERMISSIVE_RULE : undefined
  }

  private baseHeaders(extra: HeaderMap): HeaderMap {
    const h: HeaderMap = { 'x-nos-request-id': this.requestId, Server: 'NOS', Date: formatGmt(this.now()), ...extra }
    const rule = this.op === 'preflight' ? undefined : this.corsRule(this.method)
    if (rule) {
      let expose = rule.exposeHeaders
      // The permissive switch also exposes the user metadata of this very response (x-nos-meta-*).
      if (rule === PERMISSIVE_RULE) expose = [...expose, ...Object.keys(h).filter((n) => n.startsWith('x-nos-meta-'))]
      h['Access-Control-Allow-Origin'] = this.headers['origin']!
      if (expose.length) h['Access-Control-Expose-Headers'] = expose.join(', ')
      h['Vary'] = 'Origin'
    }
    return h
  }

  /**
   * The `dropResponse` fault: the request was served (its effects are kept), then the connection is closed instead
   * of answering, as when an answer is lost on the way back. True when the caller must not answer.
   */
  private dropped(): boolean {
    if (this.fault !== 'dropResponse') return false
    this.req.socket.destroy()
    return true
  }

  /** Sends a complete response (the body is dropped for HEAD). */
  send(status: number, headers: HeaderMap = {}, body?: string | Buffer): void {
    if (this.dropped()) return
    const buf = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body
    const h = this.baseHeaders(headers)
    if (!('Content-Length' in h)) h['Content-Length'] = buf?.length ?? 0
    this.res.writeHead(status, h)
    if (buf && this.method !== 'HEAD') {
      this.bytesOut += buf.length
      this.res.end(buf)
    } else this.res.end()
  }

  /** Sends an XML document with status 200 unless told otherwise. */
  sendXml(xml: string, status = 200, headers: HeaderMap = {}): void {
    this.send(status, { 'Content-Type': 'application/xml', ...headers }, xml)
  }

  /** Streams a body; resolves when it is sent or the client went away. */
  async sendStream(status: number, headers: HeaderMap, body: AsyncIterable<Uint8Array>): Promise<void> {
    if (this.dropped()) return
    this.res.writeHead(status, this.baseHeaders(headers))
    if (this.method === 'HEAD') {
      this.res.end()
      return
    }
    const self = this
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of body) {
        self.bytesOut += chunk.length
        yield chunk
      }
    }
    await pipeline(Readable.from(counted(), { objectMode: false }), this.res).catch(() => undefined)
  }

  /**
   * The error document (docs/protocol.md#errors): XML, or JSON when the request asked with `x-nos-entity-type: json`.
   */
  private errorDocument(e: NosError): { type: string; body: string } {
    const fields = { Code: e.code, Message: e.message, Resource: this.resource(), RequestId: this.requestId }
    if (this.headers['x-nos-entity-type']?.toLowerCase() === 'json') return { type: 'application/json', body: JSON.stringify({ Error: fields }) }
    return { type: 'application/xml', body: xmlDocument('Error', Object.entries(fields)) }
  }

  /**
   * An error response as raw HTTP bytes, for the moment Node's parser gave up on the connection (a body cut short
   * by a half-closed client): the answer is still a NOS error document, here IncompleteBody.
   */
  rawError(e: NosError): string {
    this.errorCode = e.code
    this.rawStatus = e.status
    const { type, body } = this.errorDocument(e)
    const length = Buffer.byteLength(body)
    const h = this.baseHeaders({ 'Content-Type': type, 'Content-Length': length, Connection: 'close' })
    this.bytesOut += length
    const lines = Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`)
    return `HTTP/1.1 ${e.status} ${STATUS_CODES[e.status] ?? ''}\r\n${lines.join('')}\r\n${body}`
  }

  /** Answers with an error document (docs/protocol.md#errors); unexpected exceptions become 500 InternalError. */
  sendError(err: unknown): void {
    const e = err instanceof NosError ? err : new NosError('InternalError')
    if (!(err instanceof NosError)) console.error('[nos-emulator] internal error:', err)
    if (this.rawStatus !== undefined) return
    this.errorCode = e.code
    if (this.res.headersSent || this.res.destroyed) {
      this.res.destroy()
      return
    }
    const headers: HeaderMap = { ...e.headers }
    if (!this.req.complete) {
      // Answered before the body was read: discard the rest so the connection stays usable (clients may retry on
      // it), except for bodies too large to be worth reading, which end the connection.
      const declared = Number(this.headers['content-length'])
      if (e.code === 'EntityTooLarge' || declared - this.bytesIn > DRAIN_LIMIT) headers['Connection'] = 'close'
      this.req.resume()
    }
    if (this.method === 'HEAD') return this.send(e.status, headers)
    const { type, body } = this.errorDocument(e)
    this.send(e.status, { ...headers, 'Content-Type': type }, body)
  }
}
