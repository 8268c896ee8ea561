/**
 * CORS (docs/protocol.md#cors-configuration): bucket rules, preflight, headers on actual and error responses,
 * permissive mode.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator/index.js'
import { Client, errorCode, rawSend, setup, tags } from './helpers.js'

const RULES = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>https://app.example.com</AllowedOrigin>
    <AllowedOrigin>https://*.example.org</AllowedOrigin>
    <AllowedMethod>GET,PUT</AllowedMethod>
    <AllowedHeader>authorization</AllowedHeader>
    <AllowedHeader>x-nos-*</AllowedHeader>
    <ExposeHeader>x-nos-request-id</ExposeHeader>
    <MaxAgeSeconds>600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`

function preflight(port: number, path: string, origin: string, method: string, headers?: string) {
  const h: Record<string, string> = { Origin: origin, 'Access-Control-Request-Method': method }
  if (headers) h['Access-Control-Request-Headers'] = headers
  return rawSend(port, 'OPTIONS', path, h)
}

describe('bucket CORS configuration', () => {
  let emu: Emulator
  let c: Client
  beforeAll(async () => {
    ;({ emu, c } = await setup({ buckets: ['bkt', 'nocors'] }))
    await c.put('bkt', 'k', 'v')
  })
  afterAll(() => emu.close())

  it('PUT/GET/DELETE ?cors', async () => {
    expect(errorCode(await c.send({ bucket: 'bkt', query: { cors: null } }))).toBe('NoSuchCORSConfiguration')
    expect((await c.send({ method: 'PUT', bucket: 'bkt', query: { cors: null }, body: RULES })).status).toBe(200)
    const got = await c.send({ bucket: 'bkt', query: { cors: null } })
    expect(tags(got.text, 'AllowedOrigin')).toEqual(['https://app.example.com', 'https://*.example.org'])
    expect(tags(got.text, 'AllowedMethod')).toEqual(['GET', 'PUT'])
    expect(tags(got.text, 'MaxAgeSeconds')).toEqual(['600'])
    const bad = await c.send({ method: 'PUT', bucket: 'nocors', query: { cors: null }, body: '<CORSConfiguration></CORSConfiguration>' })
    expect(errorCode(bad)).toBe('MalformedXML')
  })

  it('preflight: allowed -> 200 with the CORS headers; denied or unconfigured -> 403', async () => {
    const ok = await preflight(emu.port, '/bkt/k', 'https://app.example.com', 'PUT', 'authorization, x-nos-date, x-nos-meta-foo')
    expect(ok.status).toBe(200)
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com')
    expect(ok.headers['access-control-allow-methods']).toBe('PUT')
    expect(ok.headers['access-control-allow-headers']).toBe('authorization, x-nos-date, x-nos-meta-foo')
    expect(ok.headers['access-control-expose-headers']).toBe('x-nos-request-id')
    expect(ok.headers['access-control-max-age']).toBe('600')
    expect((await preflight(emu.port, '/bkt/k', 'https://sub.example.org', 'GET')).status).toBe(200)
    for (const [origin, method, headers] of [
      ['https://evil.example.com', 'GET', undefined],
      ['https://app.example.com', 'DELETE', undefined],
      ['https://app.example.com', 'PUT', 'authorization, content-md5'],
    ] as const) {
      const r = await preflight(emu.port, '/bkt/k', origin, method, headers)
      expect(r.status, `${origin} ${method} ${headers}`).toBe(403)
      expect(r.headers['access-control-allow-origin']).toBeUndefined()
    }
    expect((await preflight(emu.port, '/nocors/k', 'https://app.example.com', 'GET')).status).toBe(403)
  })

  it('actual responses (including errors) carry Allow-Origin and the rule\'s Expose-Headers', async () => {
    const r = await c.get('bkt', 'k', { Origin: 'https://app.example.com' })
    expect(r.headers['access-control-allow-origin']).toBe('https://app.example.com')
    expect(r.headers['access-control-expose-headers']).toBe('x-nos-request-id')
    const miss = await c.get('bkt', 'missing', { Origin: 'https://app.example.com' })
    expect(miss.status).toBe(404)
    expect(miss.headers['access-control-allow-origin']).toBe('https://app.example.com')
    const evil = await c.get('bkt', 'k', { Origin: 'https://evil.example.com' })
    expect(evil.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('DELETE ?cors removes the rules', async () => {
    expect((await c.send({ method: 'DELETE', bucket: 'bkt', query: { cors: null } })).status).toBe(200)
    expect((await preflight(emu.port, '/bkt/k', 'https://app.example.com', 'GET')).status).toBe(403)
  })
})

describe("cors: 'permissive'", () => {
  let emu: Emulator
  let c: Client
  beforeAll(async () => {
    ;({ emu, c } = await setup({ buckets: ['bkt', 'strict'], cors: 'permissive' }))
  })
  afterAll(() => emu.close())

  it('allows every origin, method and header, exposing ETag, request id and metadata', async () => {
    const pre = await preflight(emu.port, '/bkt/k', 'http://localhost:5173', 'DELETE', 'authorization,x-nos-date,content-md5')
    expect(pre.status).toBe(200)
    expect(pre.headers['access-control-allow-headers']).toBe('authorization, x-nos-date, content-md5')
    const put = await c.put('bkt', 'k', 'v', { Origin: 'http://localhost:5173', 'x-nos-meta-who': 'me' })
    expect(put.headers['access-control-allow-origin']).toBe('http://localhost:5173')
    expect(put.headers['access-control-expose-headers']).toContain('ETag')
    const get = await c.get('bkt', 'k', { Origin: 'http://localhost:5173' })
    const expose = String(get.headers['access-control-expose-headers'])
    for (const h of ['ETag', 'x-nos-request-id', 'Content-Length', 'Content-Range', 'Last-Modified', 'x-nos-meta-who']) expect(expose).toContain(h)
    // Service-level requests too.
    expect((await preflight(emu.port, '/', 'http://localhost:5173', 'GET')).status).toBe(200)
  })

  it('a bucket configuration overrides the permissive switch for that bucket', async () => {
    const rules = RULES.replace('<ExposeHeader>x-nos-request-id</ExposeHeader>', '')
    expect((await c.send({ method: 'PUT', bucket: 'strict', query: { cors: null }, body: rules })).status).toBe(200)
    await c.put('strict', 'k', 'v')
    const r = await c.get('strict', 'k', { Origin: 'https://app.example.com' })
    expect(r.headers['access-control-allow-origin']).toBe('https://app.example.com')
    expect(r.headers['access-control-expose-headers']).toBeUndefined()
    expect((await preflight(emu.port, '/strict/k', 'http://localhost:5173', 'GET')).status).toBe(403)
  })
})
