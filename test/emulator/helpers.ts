/**
 * Test helpers for the emulator suite: an INDEPENDENT NOS signer (written from docs/protocol.md#signing,
 * docs/protocol.md#presigned-urls with node:crypto; it deliberately does not import src/signing/signer.ts) and a raw
 * node:http client that sends exactly the method, path, Host and headers a test asks for.
 */
import { createHash, createHmac } from 'node:crypto'
import { request } from 'node:http'
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js'

export const AK = 'test-access-key'
export const SK = 'test-secret-key-0123456789'

/** Signed sub-resources (docs/protocol.md#signed-sub-resources, Java/Go list). */
const SUBRESOURCES = ['acl', 'location', 'versioning', 'versions', 'versionId', 'uploadId', 'uploads', 'partNumber', 'delete', 'deduplication']

/**
 * Key encoding: UTF-8, every byte %XX except A-Z a-z 0-9 - _ . *
 * (docs/protocol.md#key-encoding-and-canonical-resource).
 */
export function enc(key: string): string {
  return encodeURIComponent(key).replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

export type Query = Record<string, string | null>

export function resourceOf(bucket?: string, key?: string, query: Query = {}): string {
  let r = '/'
  if (bucket) r += `${bucket}/${key ? enc(key) : ''}`
  const subs = Object.keys(query)
    .filter((n) => SUBRESOURCES.includes(n))
    .sort()
    .map((n) => (query[n] === null || query[n] === '' ? n : `${n}=${query[n]}`))
  return subs.length ? `${r}?${subs.join('&')}` : r
}

/** The string-to-sign from a header record, names in any case (docs/protocol.md#signing). */
export function buildStringToSign(method: string, headers: Record<string, string>, resource: string, dateLine?: string): string {
  const lower: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = String(v).trim()
  const date = dateLine ?? ('x-nos-date' in lower ? '' : (lower['date'] ?? ''))
  const nos = Object.keys(lower)
    .filter((k) => k.startsWith('x-nos-'))
    .sort()
    .map((k) => `${k}:${lower[k]}\n`)
    .join('')
  return `${method}\n${lower['content-md5'] ?? ''}\n${lower['content-type'] ?? ''}\n${date}\n${nos}${resource}`
}

export function hmac(secret: string, sts: string): string {
  return createHmac('sha256', secret).update(sts, 'utf8').digest('base64')
}

export function md5(data: string | Buffer): string {
  return createHash('md5').update(data).digest('hex')
}

export function queryString(query: Query): string {
  return Object.entries(query)
    .map(([k, v]) => (v === null ? enc(k) : `${enc(k)}=${enc(v)}`))
    .join('&')
}

export interface SendOptions {
  method?: string
  bucket?: string
  key?: string
  query?: Query
  headers?: Record<string, string>
  body?: string | Buffer
  /** Send `Host: <bucket>.<virtualHost>` and the key at the root of the path. */
  virtualHost?: string
  /** Raw path instead of the computed one (query appended unless it already has one). */
  rawPath?: string
  /** false: anonymous. Default: header auth with AK/SK. */
  auth?: false | 'header' | { presignExpires: number }
  ak?: string
  sk?: string
  /** Date header value (default: the emulator clock now, GMT). */
  date?: string
  /** Use x-nos-date instead of Date. */
  nosDate?: boolean
  /** Resource to sign instead of the computed one. */
  signResource?: string
  /** Change the signed string after the fact (tamper tests). */
  tamper?: (sts: string) => string
}

export interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  text: string
}

/** Low-level send of an exact request. */
export function rawSend(port: number, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const b = Buffer.concat(chunks)
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b, text: b.toString('utf8') })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    if (body !== undefined) req.end(body)
    else req.end()
  })
}

/** A client bound to one emulator and a pinned clock. */
export class Client {
  constructor(
    readonly emu: Emulator,
    readonly now: () => number = Date.now,
  ) {}

  async send(o: SendOptions = {}): Promise<Reply> {
    const method = o.method ?? 'GET'
    const query = o.query ?? {}
    const headers: Record<string, string> = { ...(o.headers ?? {}) }
    let path: string
    if (o.rawPath) path = o.rawPath
    else if (o.virtualHost) path = `/${o.key ? enc(o.key) : ''}`
    else path = o.bucket ? `/${o.bucket}/${o.key ? enc(o.key) : ''}` : '/'
    if (o.virtualHost) headers['Host'] = o.bucket ? `${o.bucket}.${o.virtualHost}` : o.virtualHost
    let qs = queryString(query)
    const body = o.body
    if (body !== undefined) headers['Content-Length'] ??= String(Buffer.byteLength(body))
    const resource = o.signResource ?? resourceOf(o.bucket, o.key, query)
    const auth = o.auth ?? 'header'
    const ak = o.ak ?? AK
    const sk = o.sk ?? SK
    if (auth === 'header') {
      const date = o.date ?? new Date(this.now()).toUTCString()
      headers[o.nosDate ? 'x-nos-date' : 'Date'] = date
      let sts = buildStringToSign(method, headers, resource)
      if (o.tamper) sts = o.tamper(sts)
      headers['Authorization'] = `NOS ${ak}:${hmac(sk, sts)}`
    } else if (auth !== false) {
      const expires = String(auth.presignExpires)
      let sts = buildStringToSign(method, headers, resource, expires)
      if (o.tamper) sts = o.tamper(sts)
      const sig = encodeURIComponent(hmac(sk, sts))
      qs = `${qs ? qs + '&' : ''}NOSAccessKeyId=${enc(ak)}&Expires=${expires}&Signature=${sig}`
    }
    const full = qs && !path.includes('?') ? `${path}?${qs}` : path
    return rawSend(this.emu.port, method, full, headers, body)
  }

  put(bucket: string, key: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send({ method: 'PUT', bucket, key, body, headers })
  }

  get(bucket: string, key: string, headers: Record<string, string> = {}, query: Query = {}): Promise<Reply> {
    return this.send({ method: 'GET', bucket, key, headers, query })
  }
}

/** `<Code>` of an XML error body. */
export function errorCode(r: Reply): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(r.text)?.[1]
}

/** All texts of an XML element. */
export function tags(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]!)
}

/** Starts an emulator with the test key pair and returns it with a client. */
export async function setup(options: EmulatorOptions = {}): Promise<{ emu: Emulator; c: Client }> {
  const emu = await startEmulator({ credentials: [{ accessKeyId: AK, accessKeySecret: SK }], buckets: ['bkt'], ...options })
  return { emu, c: new Client(emu, options.now) }
}

/** Builds a `<CompleteMultipartUpload>` body. */
export function completeXml(parts: Array<{ n: number; etag: string }>): string {
  return `<CompleteMultipartUpload>${parts.map((p) => `<Part><PartNumber>${p.n}</PartNumber><ETag>${p.etag}</ETag></Part>`).join('')}</CompleteMultipartUpload>`
}
