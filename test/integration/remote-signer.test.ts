/**
 * `remoteSigner` says what a signing endpoint answered when it is not a signature: a login page
 * served with 200, a redirect to one, a 500 with an HTML body, JSON without a signature (SigningPolicyError with the
 * status, content type, first bytes and redirect target), and wraps an unreachable endpoint as ConnectionError. Real
 * HTTP: an endpoint on 127.0.0.1 that answers like a misconfigured backend, and the emulator behind the client. The
 * Chromium half is test/browser/edges.spec.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { AK, SK, setup } from './setup.js'
import { NosClient, createSigningHandler, isNosErrorKind, isNosException, remoteSigner } from '../../src/index.js'

const LOGIN = '<!doctype html><html><head><title>Sign in</title></head><body><form action="/login">Please sign in</form></body></html>'
let emu: Awaited<ReturnType<typeof setup>>['emu']
let backend: http.Server
let base: string
/** An address nothing listens on (a server that was closed). */
let unreachable: string
/** What `/scripted` answers next. */
let scripted = { status: 200, type: '' as string, body: '' as string | Buffer }

beforeAll(async () => {
  ;({ emu } = await setup())
  const sign = createSigningHandler(SK, { buckets: ['bkt'], keyPrefixes: ['ok/'] })
  backend = http.createServer((req, res) => {
    const send = (status: number, type: string, body: string, extra: Record<string, string> = {}) => res.writeHead(status, { 'content-type': type, ...extra }).end(body)
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      if (req.url === '/sign') {
        const answer = await sign(new Request('http://x/sign', { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) }))
        return send(answer.status, 'application/json', await answer.text())
      }
      if (req.url === '/html') return send(200, 'text/html; charset=utf-8', LOGIN)
      if (req.url === '/redirect') return send(302, 'text/plain', '', { location: '/login?next=%2Fsign' })
      if (req.url?.startsWith('/login')) return send(200, 'text/html', LOGIN)
      if (req.url === '/500') return send(500, 'text/html', `<html><body><h1>Internal Server Error</h1><pre>TypeError: secret is undefined\n    at sign (/srv/app.js:12:5)</pre>${'x'.repeat(5000)}</body></html>`)
      if (req.url === '/json') return send(200, 'application/json', '{"ok":true}')
      if (req.url === '/empty') return send(502, 'text/plain', '')
      if (req.url === '/scripted') return res.writeHead(scripted.status, scripted.type ? { 'content-type': scripted.type } : {}).end(scripted.body)
      send(404, 'text/plain', 'not found')
    })
  })
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
  const closed = http.createServer()
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
  unreachable = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/sign`
  await new Promise<void>((r) => closed.close(() => r()))
})
afterAll(async () => {
  backend.closeAllConnections()
  await new Promise<void>((r) => backend.close(() => r()))
  await emu.close()
})

const clientWith = (url: string) => new NosClient({ accessKeyId: AK, sign: remoteSigner(url), endpoint: emu.endpoint, retryBaseDelay: 1, retryMaxDelay: 2 })
const failure = (url: string) => clientWith(url).putObject({ bucket: 'bkt', key: 'ok/x.txt', body: 'x' }).then(() => undefined, (e: unknown) => e as Error & { statusCode?: number })

describe('remoteSigner errors', () => {
  it('regression: 200 with an HTML login page: SigningPolicyError naming the status, the content type and the first bytes', async () => {
    const e = await failure(`${base}/html`)
    expect(isNosErrorKind(e, 'SigningPolicyError') && isNosException(e)).toBe(true)
    expect(e?.statusCode).toBe(200)
    expect(e?.message).toBe(`the signing endpoint did not answer JSON: the signing endpoint ${base}/html answered HTTP 200 OK (text/html; charset=utf-8): ${JSON.stringify(LOGIN)}`)
  })

  it('regression: a redirect to a login page names its target', async () => {
    const e = await failure(`${base}/redirect`)
    expect(isNosErrorKind(e, 'SigningPolicyError')).toBe(true)
    expect(e?.message).toContain('the signing endpoint redirected (a login page? the session may have expired)')
    expect(e?.message).toContain(`after a redirect to ${base}/login?next=%2Fsign: "<!doctype html>`)
  })

  it('regression: a 500 shows the start of its body (cut), JSON without a signature and an empty 502 say so', async () => {
    const e = await failure(`${base}/500`)
    expect(isNosErrorKind(e, 'SigningPolicyError')).toBe(true)
    expect(e?.statusCode).toBe(500)
    expect(e?.message).toMatch(/answered HTTP 500 Internal Server Error \(text\/html\): "<html><body><h1>Internal Server Error<\/h1><pre>TypeError: secret is undefined at sign \(\/srv\/app\.js:12:5\)<\/pre>x+"\.\.\.$/)
    expect((await failure(`${base}/json`))?.message).toBe(`the signing endpoint answered JSON without a "signature": the signing endpoint ${base}/json answered HTTP 200 OK (application/json): "{\\"ok\\":true}"`)
    expect((await failure(`${base}/empty`))?.message).toContain('answered HTTP 502 Bad Gateway (text/plain), with an empty body')
  })

  it('regression: an unreachable signer is a ConnectionError (isNosException), not "may have succeeded"', async () => {
    for (const call of [(c: NosClient) => c.putObject({ bucket: 'bkt', key: 'ok/x.txt', body: 'x' }), (c: NosClient) => c.createMultipartUpload({ bucket: 'bkt', key: 'ok/m' })]) {
      const e = (await call(clientWith(unreachable)).then(() => undefined, (x: unknown) => x)) as Error
      expect(isNosErrorKind(e, 'ConnectionError') && isNosException(e), String(e)).toBe(true)
      expect(e.message).toMatch(new RegExp(`^the signing endpoint ${unreachable} could not be reached: fetch failed$`))
    }
    expect(emu.requests.filter((r) => r.op === 'putObject' || r.op === 'initiateMultipartUpload')).toEqual([])
  })

  it('a refusal keeps its message; a working endpoint signs', async () => {
    const refused = await clientWith(`${base}/sign`).putObject({ bucket: 'bkt', key: 'no/x.txt', body: 'x' }).then(() => undefined, (e: unknown) => e as Error)
    expect(isNosErrorKind(refused, 'SigningPolicyError')).toBe(true)
    expect(refused?.message).toBe('the signing endpoint refused: key "no/x.txt" is not allowed (allowed prefixes: ok/)')
    expect((await clientWith(`${base}/sign`).putObject({ bucket: 'bkt', key: 'ok/x.txt', body: 'x' })).etag).toMatch(/^[0-9a-f]{32}$/)
  })

  it('property: whatever the endpoint answers, the signer returns its signature or throws a typed error that states the status', async () => {
    const sign = remoteSigner(`${base}/scripted`)
    const bodies = fc.oneof(
      fc.record({ signature: fc.string() }).map((v) => JSON.stringify(v)),
      fc.record({ error: fc.string() }).map((v) => JSON.stringify(v)),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string(),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    )
    await fc.assert(
      // 204, 205 and 304 carry no body by definition (RFC 9110 §15.3.5, §15.3.6, §15.4.5).
      fc.asyncProperty(fc.integer({ min: 200, max: 599 }).filter((s) => ![204, 205, 304].includes(s)), fc.constantFrom('', 'application/json', 'text/html', 'text/plain; charset=utf-8'), bodies, async (status, type, body) => {
        scripted = { status, type, body }
        const outcome = await sign('GET\n\n\n1\n/bkt/k').then((signature) => ({ signature }), (error: unknown) => ({ error }))
        const doc = (() => { try { return JSON.parse(String(body)) } catch { return undefined } })()
        const signs = status < 300 && typeof doc?.signature === 'string'
        if ('signature' in outcome) return void expect(signs && outcome.signature === doc.signature).toBe(true)
        const e = outcome.error as Error & { statusCode?: number }
        expect(signs, String(e)).toBe(false)
        expect(isNosErrorKind(e, 'SigningPolicyError'), String(e)).toBe(true)
        expect(e.statusCode).toBe(status)
        if (!(status >= 300 && typeof doc?.error === 'string')) expect(e.message).toContain(`answered HTTP ${status}`)
      }),
      { numRuns: 120, seed: 158 },
    )
  })
})
