/**
 * Every golden vector (test/fixtures/vectors) is sent to the emulator exactly as the official SDK would send it
 * (method, URL path and query, Host, headers, body) against a pinned clock: none may fail authentication, and
 * with a broken signature the emulator must report the vector's own string-to-sign.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import headerVectors from '../fixtures/vectors/header-signing.json'
import presignVectors from '../fixtures/vectors/presign.json'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { enc, errorCode, rawSend, type Reply } from './helpers.js'

const NOW = Date.UTC(2030, 0, 1, 0, 0, 0)
const AUTH_ERRORS = ['SignatureDoesNotMatch', 'AccessDenied', 'InvalidAccessKeyId', 'RequestTimeTooSkewed']

type Vector = {
  name: string
  request: { method: string; bucket: string | null; key: string | null; query: Record<string, string | null | undefined>; headers: Record<string, string | undefined>; bodyBase64?: string }
  expected: { stringToSign: string; authorization?: string; url?: string }
}
const HEADER_CASES = headerVectors.cases as unknown as Vector[]
const NOS_DATE_CASES = presignVectors.xNosDate as unknown as Vector[]
const PRESIGN_CASES = presignVectors.presign as unknown as Vector[]

/** The vector's headers without the keys JSON inference filled with undefined. */
function vectorHeaders(v: Vector): Record<string, string> {
  return Object.fromEntries(Object.entries(v.request.headers).filter((e): e is [string, string] => e[1] !== undefined))
}

let emu: Emulator
beforeAll(async () => {
  emu = await startEmulator({
    credentials: [{ accessKeyId: headerVectors.accessKeyId, accessKeySecret: headerVectors.accessKeySecret }],
    buckets: ['my-bucket'],
    endpointHost: headerVectors.endpoint,
    now: () => NOW,
  })
})
afterAll(() => emu.close())

function send(v: Vector, url: string, extraHeaders: Record<string, string> = {}): Promise<Reply> {
  const u = new URL(url)
  const body = v.request.bodyBase64 !== undefined ? Buffer.from(v.request.bodyBase64, 'base64') : undefined
  const headers: Record<string, string> = { Host: u.host, ...vectorHeaders(v), ...extraHeaders }
  if (body) headers['Content-Length'] = String(body.length)
  else if (v.request.method === 'PUT' || v.request.method === 'POST') headers['Content-Length'] = '0'
  return rawSend(emu.port, v.request.method, u.pathname + u.search, headers, body)
}

function vectorUrl(v: Vector): string {
  return v.expected.url ?? `http://${v.request.bucket}.${headerVectors.endpoint}/${v.request.key ? enc(v.request.key) : ''}`
}

const escaped = (sts: string): string => sts.replace(/\n/g, '\\n')
const unxml = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')

describe('header-signing vectors verify against the emulator', () => {
  for (const v of [...HEADER_CASES, ...NOS_DATE_CASES]) {
    it(v.name, async () => {
      const r = await send(v, vectorUrl(v), { Authorization: v.expected.authorization! })
      expect(r.status, r.text).not.toBe(403)
      expect(AUTH_ERRORS).not.toContain(errorCode(r))
      if (v.request.method === 'PUT' && !v.request.headers['x-nos-copy-source'] && !v.request.headers['x-nos-move-source'] && !v.request.query.partNumber) {
        expect(r.status).toBe(200)
      }
    })
    it(`${v.name}: a wrong signature reports the vector's string-to-sign`, async () => {
      const bad = v.expected.authorization!.replace(/:(.)/, (_m, c: string) => `:${c === 'A' ? 'B' : 'A'}`)
      const r = await send(v, vectorUrl(v), { Authorization: bad })
      expect(r.status).toBe(403)
      expect(emu.requests.at(-1)?.errorCode).toBe('SignatureDoesNotMatch')
      if (v.request.method === 'HEAD') return expect(r.body.length).toBe(0) // HEAD never has a body
      expect(errorCode(r)).toBe('SignatureDoesNotMatch')
      expect(unxml(r.text)).toContain(`StringToSign: "${escaped(v.expected.stringToSign)}"`)
      expect(r.text).not.toContain(headerVectors.accessKeySecret)
      expect(r.text).not.toContain(v.expected.authorization!.split(':')[1])
    })
  }
})

describe('presign vectors verify against the emulator', () => {
  for (const v of PRESIGN_CASES) {
    it(v.name, async () => {
      const r = await send(v, v.expected.url!)
      expect(r.status, r.text).not.toBe(403)
      expect(AUTH_ERRORS).not.toContain(errorCode(r))
    })
    it(`${v.name}: after Expires it is AccessDenied "Request has expired"`, async () => {
      const late = await startEmulator({
        credentials: [{ accessKeyId: presignVectors.accessKeyId, accessKeySecret: presignVectors.accessKeySecret }],
        buckets: ['my-bucket'],
        endpointHost: presignVectors.endpoint,
        now: () => 1893456901_000,
      })
      try {
        const u = new URL(v.expected.url!)
        const r = await rawSend(late.port, v.request.method, u.pathname + u.search, { Host: u.host, ...vectorHeaders(v), 'Content-Length': '0' })
        expect(r.status).toBe(403)
        expect(errorCode(r)).toBe('AccessDenied')
        expect(r.text).toContain('Request has expired')
      } finally {
        await late.close()
      }
    })
  }
})

describe('the PUT vectors stored what they sent', () => {
  it('the metadata PUT is readable back with its metadata and ETag', async () => {
    const v = HEADER_CASES[0]!
    const get = HEADER_CASES[1]!
    expect((await send(v, vectorUrl(v), { Authorization: v.expected.authorization! })).status).toBe(200)
    const r = await send(get, vectorUrl(get), { Authorization: get.expected.authorization! })
    expect(r.status).toBe(200)
    expect(r.body.equals(Buffer.from(v.request.bodyBase64!, 'base64'))).toBe(true)
    expect(r.headers['etag']).toBe(`"${v.request.headers['Content-MD5']}"`)
    expect(r.headers['x-nos-meta-author']).toBe('alice')
    expect(r.headers['x-nos-meta-year']).toBe('2024')
    expect(r.headers['content-type']).toBe('image/jpeg')
  })
})
