/**
 * Replay on the server side: every date line a signature carries is checked, and every accepted
 * canonical resource decodes to the key the request acts on (docs/protocol.md#the-expires-date-line,
 * docs/protocol.md#key-encoding-and-canonical-resource).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator/index.js'
import { AK, Client, SK, buildStringToSign, errorCode, hmac, rawSend, setup } from './helpers.js'

const NOW = Date.UTC(2030, 0, 1, 0, 0, 0)
const FRESH = new Date(NOW).toUTCString()
let emu: Emulator
let c: Client

beforeAll(async () => {
  ;({ emu, c } = await setup({ now: () => NOW }))
  expect((await c.put('bkt', 'k.txt', 'hello')).status).toBe(200)
  expect((await c.put('bkt', 'keep.txt', 'kept')).status).toBe(200)
})
afterAll(() => emu.close())

/** Sends `method path` with `headers` and an Authorization over `sts`. */
function signed(method: string, path: string, headers: Record<string, string>, sts: string, body?: string) {
  return rawSend(emu.port, method, path, { ...headers, Authorization: `NOS ${AK}:${hmac(SK, sts)}` }, body)
}

describe('replayable signatures (the Expires date line)', () => {
  it('refuses an expired presigned signature replayed with a fresh Date and Expires: <old expiry>', async () => {
    const old = String(NOW / 1000 - 3600)
    const r = await signed('GET', '/bkt/k.txt', { Date: FRESH, Expires: old }, `GET\n\n\n${old}\n/bkt/k.txt`)
    expect(r.status).toBe(403)
    expect(errorCode(r)).toBe('AccessDenied')
    expect(r.text).toContain('Request has expired')
  })

  it('refuses a year-old DELETE signature replayed with Expires: <its old date>', async () => {
    const yearOld = new Date(NOW - 365 * 86400_000).toUTCString()
    const r = await signed('DELETE', '/bkt/keep.txt', { Date: FRESH, Expires: yearOld }, `DELETE\n\n\n${yearOld}\n/bkt/keep.txt`)
    expect(r.status).toBe(403)
    expect(errorCode(r)).toBe('AccessDenied')
    expect((await c.get('bkt', 'keep.txt')).text).toBe('kept')
  })

  it('still honours an unexpired Unix-seconds Expires date line (the Python quirk)', async () => {
    const soon = String(NOW / 1000 + 60)
    const r = await signed('GET', '/bkt/k.txt', { Date: FRESH, Expires: soon }, `GET\n\n\n${soon}\n/bkt/k.txt`)
    expect(r.status).toBe(200)
  })

  it('with x-nos-date and Date, a Date date line must be fresh as well', async () => {
    const stale = new Date(NOW - 3600_000).toUTCString()
    const headers = { Date: stale, 'x-nos-date': FRESH }
    const r = await signed('GET', '/bkt/k.txt', headers, buildStringToSign('GET', headers, '/bkt/k.txt', stale))
    expect(errorCode(r)).toBe('RequestTimeTooSkewed')
  })

  it('refuses dates without a zone (read as GMT here, as local time elsewhere)', async () => {
    const zoneless = 'Tue, 01 Jan 2030 00:00:00'
    const r = await signed('GET', '/bkt/k.txt', { Date: zoneless }, `GET\n\n\n${zoneless}\n/bkt/k.txt`)
    expect(r.status).toBe(403)
    expect(errorCode(r)).toBe('AccessDenied')
  })
})

describe('one decoding of the canonical resource', () => {
  it('a signature for /bkt/%75ser-42%2Fevil.txt cannot store the key "%75ser-42/evil.txt"', async () => {
    const sts = `PUT\n\n\n${FRESH}\n/bkt/%75ser-42%2Fevil.txt`
    const smuggled = await signed('PUT', '/bkt/%2575ser-42%2Fevil.txt', { Date: FRESH, 'Content-Length': '1' }, sts, 'x')
    expect(errorCode(smuggled)).toBe('SignatureDoesNotMatch')
    expect((await c.get('bkt', '%75ser-42/evil.txt')).status).toBe(404)
    // The same signature sent as written names "user-42/evil.txt", the key it decodes to.
    const plain = await signed('PUT', '/bkt/%75ser-42%2Fevil.txt', { Date: FRESH, 'Content-Length': '1' }, sts, 'x')
    expect(plain.status).toBe(200)
    expect((await c.get('bkt', 'user-42/evil.txt')).text).toBe('x')
  })

  it('quote-stripping never applies to the copy source the server acts on', async () => {
    const sts = `PUT\n\n\n${FRESH}\nx-nos-copy-source:/bkt/k.txt\n/bkt/copy.txt`
    const quoted = await signed('PUT', '/bkt/copy.txt', { Date: FRESH, 'x-nos-copy-source': '/bkt/k.txt"' }, sts)
    expect(errorCode(quoted)).toBe('SignatureDoesNotMatch')
  })
})
