/**
 * Authentication (docs/protocol.md#how-the-emulator-authenticates, docs/protocol.md#presigned-urls): header and query
 * auth, dates, skew, anonymous access, leniency.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator/index.js'
import { AK, Client, SK, buildStringToSign, errorCode, hmac, rawSend, resourceOf, setup } from './helpers.js'

const NOW = Date.UTC(2030, 0, 1, 0, 0, 0)
let emu: Emulator
let c: Client

beforeAll(async () => {
  ;({ emu, c } = await setup({
    now: () => NOW,
    buckets: ['bkt', { name: 'pub', acl: 'public-read' }],
    credentials: [
      { accessKeyId: AK, accessKeySecret: SK },
      { accessKeyId: 'other-ak', accessKeySecret: 'other-sk', ownerId: 'someone-else' },
    ],
  }))
  expect((await c.put('bkt', 'k.txt', 'hello')).status).toBe(200)
  expect((await c.put('pub', 'p.txt', 'public')).status).toBe(200)
})
afterAll(() => emu.close())

describe('header auth', () => {
  it('accepts a correctly signed request', async () => {
    const r = await c.get('bkt', 'k.txt')
    expect(r.status).toBe(200)
    expect(r.text).toBe('hello')
  })

  it('accepts RFC 1123 GMT, numeric offsets and the Asia/Shanghai zone id', async () => {
    for (const date of ['Tue, 01 Jan 2030 00:00:00 GMT', 'Tue, 01 Jan 2030 08:00:00 +0800', 'Mon, 31 Dec 2029 19:00:00 -0500', 'Tue, 01 Jan 2030 08:00:00 Asia/Shanghai']) {
      const r = await c.send({ bucket: 'bkt', key: 'k.txt', date })
      expect(r.status, date).toBe(200)
    }
  })

  it('rejects a date more than 15 minutes off with RequestTimeTooSkewed', async () => {
    const r = await c.send({ bucket: 'bkt', key: 'k.txt', date: 'Tue, 01 Jan 2030 00:15:01 GMT' })
    expect(r.status).toBe(403)
    expect(errorCode(r)).toBe('RequestTimeTooSkewed')
    // Shanghai wall clock 08:16 is 00:16 UTC: also skewed.
    const s = await c.send({ bucket: 'bkt', key: 'k.txt', date: 'Tue, 01 Jan 2030 08:16:00 Asia/Shanghai' })
    expect(errorCode(s)).toBe('RequestTimeTooSkewed')
    // ...while 14 minutes is fine.
    expect((await c.send({ bucket: 'bkt', key: 'k.txt', date: 'Mon, 31 Dec 2029 23:46:00 GMT' })).status).toBe(200)
  })

  it('rejects a missing or unparsable date with AccessDenied', async () => {
    const sts = buildStringToSign('GET', {}, '/bkt/k.txt')
    const r = await rawSend(emu.port, 'GET', '/bkt/k.txt', { Authorization: `NOS ${AK}:${hmac(SK, sts)}` })
    expect(r.status).toBe(403)
    expect(errorCode(r)).toBe('AccessDenied')
    expect(errorCode(await c.send({ bucket: 'bkt', key: 'k.txt', date: 'yesterday-ish' }))).toBe('AccessDenied')
  })

  it('honours x-nos-date with an empty date line', async () => {
    const r = await c.send({ method: 'PUT', bucket: 'bkt', key: 'nd.txt', body: 'x', nosDate: true, headers: { 'Content-Type': 'text/plain' } })
    expect(r.status).toBe(200)
    // x-nos-date is the clock that counts.
    const skewed = await c.send({ bucket: 'bkt', key: 'nd.txt', nosDate: true, date: 'Tue, 01 Jan 2030 01:00:00 GMT' })
    expect(errorCode(skewed)).toBe('RequestTimeTooSkewed')
  })

  it('also accepts x-nos-date signed with the Date header in the date line', async () => {
    const date = 'Tue, 01 Jan 2030 00:00:00 GMT'
    const headers = { Date: date, 'x-nos-date': date }
    const sts = buildStringToSign('GET', headers, '/bkt/k.txt', date)
    const r = await rawSend(emu.port, 'GET', '/bkt/k.txt', { ...headers, Authorization: `NOS ${AK}:${hmac(SK, sts)}` })
    expect(r.status).toBe(200)
  })

  it('unknown access key -> InvalidAccessKeyId; malformed header -> AccessDenied', async () => {
    expect(errorCode(await c.send({ bucket: 'bkt', key: 'k.txt', ak: 'nobody' }))).toBe('InvalidAccessKeyId')
    const r = await rawSend(emu.port, 'GET', '/bkt/k.txt', { Date: new Date(NOW).toUTCString(), Authorization: 'AWS x:y' })
    expect(r.status).toBe(403)
    expect(errorCode(r)).toBe('AccessDenied')
  })

  it('a tampered signature, header value or key -> SignatureDoesNotMatch', async () => {
    const sig = await c.send({ bucket: 'bkt', key: 'k.txt', tamper: (s) => s + 'x' })
    expect(errorCode(sig)).toBe('SignatureDoesNotMatch')
    // Signed with one metadata value, sent with another.
    const date = new Date(NOW).toUTCString()
    const signed = { Date: date, 'x-nos-meta-a': '1', 'Content-Type': 'text/plain' }
    const auth = `NOS ${AK}:${hmac(SK, buildStringToSign('PUT', signed, '/bkt/t.txt'))}`
    const hdr = await rawSend(emu.port, 'PUT', '/bkt/t.txt', { ...signed, 'x-nos-meta-a': '2', Authorization: auth, 'Content-Length': '1' }, 'x')
    expect(errorCode(hdr)).toBe('SignatureDoesNotMatch')
    const ct = await rawSend(emu.port, 'PUT', '/bkt/t.txt', { ...signed, 'Content-Type': 'text/html', Authorization: auth, 'Content-Length': '1' }, 'x')
    expect(errorCode(ct)).toBe('SignatureDoesNotMatch')
    // Signed for one key, sent to another.
    const key = await c.send({ bucket: 'bkt', key: 'k.txt', signResource: '/bkt/k.txu' })
    expect(errorCode(key)).toBe('SignatureDoesNotMatch')
    // Signed with the wrong secret.
    expect(errorCode(await c.send({ bucket: 'bkt', key: 'k.txt', sk: 'wrong' }))).toBe('SignatureDoesNotMatch')
  })

  it('the SignatureDoesNotMatch message carries the string-to-sign, never the secret or expected signature', async () => {
    const r = await c.send({ bucket: 'bkt', key: 'k.txt', query: { uploadId: '12' }, tamper: (s) => s.toLowerCase() })
    expect(errorCode(r)).toBe('SignatureDoesNotMatch')
    const date = new Date(NOW).toUTCString()
    const sts = `GET\\n\\n\\n${date}\\n/bkt/k.txt?uploadId=12`
    expect(r.text).toContain(`StringToSign: "${sts}"`)
    expect(r.text).not.toContain(SK)
    const expected = hmac(SK, `GET\n\n\n${date}\n/bkt/k.txt?uploadId=12`)
    expect(r.text).not.toContain(expected)
    expect(r.headers['content-type']).toBe('application/xml')
  })

  it('accepts the lenient key encodings (only / encoded; as sent in the path)', async () => {
    await c.put('bkt', "dir/a b(c)~!.txt", 'z')
    const key = "dir/a b(c)~!.txt"
    const ts3 = `/bkt/${key.replace(/\//g, '%2F')}`
    expect((await c.send({ bucket: 'bkt', key, signResource: ts3 })).status).toBe(200)
    const jsEncoded = `/bkt/${encodeURIComponent(key)}`
    expect((await c.send({ bucket: 'bkt', key, signResource: jsEncoded, rawPath: jsEncoded })).status).toBe(200)
  })

  it('accepts Python-style quote-stripped header values', async () => {
    const date = new Date(NOW).toUTCString()
    const sent = { Date: date, 'x-nos-meta-q': '"quoted"' }
    const sts = buildStringToSign('PUT', { Date: date, 'x-nos-meta-q': 'quoted' }, '/bkt/q.txt')
    const r = await rawSend(emu.port, 'PUT', '/bkt/q.txt', { ...sent, Authorization: `NOS ${AK}:${hmac(SK, sts)}`, 'Content-Length': '1' }, 'q')
    expect(r.status).toBe(200)
  })

  it('accepts ?cors with or without cors in the canonical resource', async () => {
    const body = '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>'
    expect((await c.send({ method: 'PUT', bucket: 'bkt', query: { cors: null }, body })).status).toBe(200)
    expect((await c.send({ method: 'GET', bucket: 'bkt', query: { cors: null }, signResource: '/bkt/?cors' })).status).toBe(200)
    expect((await c.send({ method: 'DELETE', bucket: 'bkt', query: { cors: null } })).status).toBe(200)
  })

  it('answers errors as JSON when asked with x-nos-entity-type: json', async () => {
    const r = await c.send({ bucket: 'bkt', key: 'missing', headers: { 'x-nos-entity-type': 'json' } })
    expect(r.status).toBe(404)
    expect(r.headers['content-type']).toBe('application/json')
    const j = JSON.parse(r.text) as { Error: Record<string, string> }
    expect(j.Error.Code).toBe('NoSuchKey')
    expect(j.Error.Resource).toBe('/bkt/missing')
    expect(j.Error.RequestId).toBe(r.headers['x-nos-request-id'])
  })
})

describe('query auth (presigned URLs)', () => {
  it('accepts a valid presigned GET and PUT', async () => {
    const exp = NOW / 1000 + 60
    expect((await c.send({ bucket: 'bkt', key: 'k.txt', auth: { presignExpires: exp } })).text).toBe('hello')
    const put = await c.send({ method: 'PUT', bucket: 'bkt', key: 'up.png', body: 'png', headers: { 'Content-Type': 'image/png' }, auth: { presignExpires: exp } })
    expect(put.status).toBe(200)
  })

  it('expired -> 403 AccessDenied "Request has expired"', async () => {
    const r = await c.send({ bucket: 'bkt', key: 'k.txt', auth: { presignExpires: NOW / 1000 - 1 } })
    expect(r.status).toBe(403)
    expect(errorCode(r)).toBe('AccessDenied')
    expect(r.text).toContain('Request has expired')
  })

  it('tampered -> SignatureDoesNotMatch; incomplete parameters -> AccessDenied; unknown key -> InvalidAccessKeyId', async () => {
    const exp = NOW / 1000 + 60
    expect(errorCode(await c.send({ bucket: 'bkt', key: 'k.txt', auth: { presignExpires: exp }, tamper: (s) => s.replace('k.txt', 'x.txt') }))).toBe('SignatureDoesNotMatch')
    // The uploader sends a different Content-Type than the URL pinned.
    const sts = buildStringToSign('PUT', { 'Content-Type': 'image/png' }, resourceOf('bkt', 'pin.png'), String(exp))
    const url = `/bkt/pin.png?NOSAccessKeyId=${AK}&Expires=${exp}&Signature=${encodeURIComponent(hmac(SK, sts))}`
    const wrongType = await rawSend(emu.port, 'PUT', url, { 'Content-Type': 'image/gif', 'Content-Length': '1' }, 'x')
    expect(errorCode(wrongType)).toBe('SignatureDoesNotMatch')
    expect((await rawSend(emu.port, 'PUT', url, { 'Content-Type': 'image/png', 'Content-Length': '1' }, 'x')).status).toBe(200)
    expect(errorCode(await rawSend(emu.port, 'GET', `/bkt/k.txt?NOSAccessKeyId=${AK}&Signature=abc`, {}))).toBe('AccessDenied')
    expect(errorCode(await c.send({ bucket: 'bkt', key: 'k.txt', ak: 'nobody', auth: { presignExpires: exp } }))).toBe('InvalidAccessKeyId')
  })
})

describe('anonymous and cross-account access', () => {
  it('anonymous GET/HEAD on public-read buckets only', async () => {
    expect((await c.send({ bucket: 'pub', key: 'p.txt', auth: false })).text).toBe('public')
    expect((await c.send({ method: 'HEAD', bucket: 'pub', key: 'p.txt', auth: false })).status).toBe(200)
    expect((await c.send({ bucket: 'pub', auth: false })).status).toBe(200)
    const put = await c.send({ method: 'PUT', bucket: 'pub', key: 'x', body: 'x', auth: false })
    expect(put.status).toBe(403)
    expect(errorCode(put)).toBe('AccessDenied')
    expect(errorCode(await c.send({ method: 'DELETE', bucket: 'pub', key: 'p.txt', auth: false }))).toBe('AccessDenied')
    expect(errorCode(await c.send({ bucket: 'bkt', key: 'k.txt', auth: false }))).toBe('AccessDenied')
    expect(errorCode(await c.send({ auth: false }))).toBe('AccessDenied')
    expect(errorCode(await c.send({ bucket: 'pub', query: { acl: null }, auth: false }))).toBe('AccessDenied')
  })

  it("another account may read a public-read bucket but not a private one or write", async () => {
    const other = { ak: 'other-ak', sk: 'other-sk' }
    expect((await c.send({ bucket: 'pub', key: 'p.txt', ...other })).status).toBe(200)
    expect(errorCode(await c.send({ bucket: 'bkt', key: 'k.txt', ...other }))).toBe('AccessDenied')
    expect(errorCode(await c.send({ method: 'PUT', bucket: 'pub', key: 'w', body: 'w', ...other }))).toBe('AccessDenied')
  })
})
