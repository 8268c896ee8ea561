/**
 * the signing policy reads a string-to-sign as the server will (docs/protocol.md#signing).
 * Each test is a hole an attacker's page used; the policy now refuses with a SigningPolicyError.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPolicySigner, isNosErrorKind, type SigningPolicy } from '../../src/index.js'
import { rawSend } from '../emulator/helpers.js'
import { setup, AK, SK } from './setup.js'

const T0 = Date.UTC(2030, 0, 1)
const GMT = (ms: number) => new Date(ms).toUTCString()
const policy: SigningPolicy = { buckets: ['bkt'], keyPrefixes: ['user-42/'], methods: ['PUT', 'POST', 'GET', 'DELETE'], maxExpires: 600, now: () => T0 }
const sign = createPolicySigner(SK, policy)

async function refusal(sts: string): Promise<string> {
  const err = await sign(sts).then(() => undefined, (e: unknown) => e)
  expect(isNosErrorKind(err, 'SigningPolicyError'), String(err)).toBe(true)
  return (err as Error).message
}

describe('the date the server checks', () => {
  it('refuses a fresh Date line paired with an x-nos-date 30 days ahead (the server checks x-nos-date)', async () => {
    const later = GMT(T0 + 30 * 86400_000)
    expect(await refusal(`PUT\n\n\n${GMT(T0)}\nx-nos-date:${later}\n/bkt/user-42%2Fa`)).toMatch(/Date line .* and x-nos-date .* disagree/)
    // The empty date line form checks x-nos-date itself.
    expect(await refusal(`PUT\n\n\n\nx-nos-date:${later}\n/bkt/user-42%2Fa`)).toMatch(/not within 15 minutes/)
    await expect(sign(`PUT\n\n\n\nx-nos-date:${GMT(T0)}\n/bkt/user-42%2Fa`)).resolves.toMatch(/^[A-Za-z0-9+/]{43}=$/)
    await expect(sign(`PUT\n\n\n${GMT(T0)}\nx-nos-date:${GMT(T0)}\n/bkt/user-42%2Fa`)).resolves.toBeTypeOf('string')
  })

  it('refuses a date without a zone (it was read in the backend\'s zone, by the server as GMT)', async () => {
    expect(await refusal(`PUT\n\n\nTue, 01 Jan 2030 08:00:00\n/bkt/user-42%2Fa`)).toMatch(/not RFC 1123 GMT/)
    expect(await refusal(`PUT\n\n\n2030-01-01T00:00:00\n/bkt/user-42%2Fa`)).toMatch(/not RFC 1123 GMT/)
    // The Asia/Shanghai form is UTC+8 on both sides.
    await expect(sign(`PUT\n\n\nTue, 01 Jan 2030 08:00:00 Asia/Shanghai\n/bkt/user-42%2Fa`)).resolves.toBeTypeOf('string')
    expect(await refusal(`PUT\n\n\nTue, 01 Jan 2030 00:00:00 Asia/Shanghai\n/bkt/user-42%2Fa`)).toMatch(/not within 15 minutes/)
  })

  it('bounds a Unix-seconds date line (query auth, or an Expires header) by maxExpires', async () => {
    expect(await refusal(`GET\n\n\n${T0 / 1000 + 601}\n/bkt/user-42%2Fa`)).toMatch(/exceeds the policy maximum of 600 s/)
    expect(await refusal(`GET\n\n\n1e21\n/bkt/user-42%2Fa`)).toMatch(/not RFC 1123 GMT/)
    await expect(sign(`GET\n\n\n${T0 / 1000 + 600}\n/bkt/user-42%2Fa`)).resolves.toBeTypeOf('string')
  })
})

describe('one decoding of keys', () => {
  let emu: Awaited<ReturnType<typeof setup>>['emu']
  beforeAll(async () => ({ emu } = await setup()))
  afterAll(() => emu.close())

  it('refuses /bkt/%75ser-42%2Fevil.txt: the emulator stored it as the key "%75ser-42/evil.txt"', async () => {
    expect(await refusal(`PUT\n\n\n${GMT(T0)}\n/bkt/%75ser-42%2Fevil.txt`)).toMatch(/must be NOS-encoded exactly \(expected user-42%2Fevil.txt/)
    // And against the live emulator (its own clock): the signature a lenient policy gave is refused there too.
    const now = GMT(Date.now())
    const live = createPolicySigner(SK, { ...policy, now: Date.now })
    await expect(live(`PUT\n\n\n${now}\n/bkt/%75ser-42%2Fevil.txt`)).rejects.toThrow(/NOS-encoded exactly/)
    const { createHmac } = await import('node:crypto')
    const sig = createHmac('sha256', SK).update(`PUT\n\n\n${now}\n/bkt/%75ser-42%2Fevil.txt`).digest('base64')
    const r = await rawSend(emu.port, 'PUT', '/bkt/%2575ser-42%2Fevil.txt', { Date: now, Authorization: `NOS ${AK}:${sig}`, 'Content-Length': '1' }, 'x')
    expect(r.status).toBe(403)
  })

  it('refuses other non-canonical spellings: lower-case hex, a literal slash, a malformed %', async () => {
    expect(await refusal(`PUT\n\n\n${GMT(T0)}\n/bkt/user-42%2fa`)).toMatch(/NOS-encoded exactly/)
    expect(await refusal(`PUT\n\n\n${GMT(T0)}\n/bkt/user-42/a`)).toMatch(/NOS-encoded exactly/)
    expect(await refusal(`PUT\n\n\n${GMT(T0)}\n/bkt/user-42%2Fa%`)).toMatch(/not valid percent-encoding/)
    expect(await refusal(`PUT\n\n\n${GMT(T0)}\n/bkt/.`)).toMatch(/key "\." is not allowed/)
  })

  it('checks x-nos-copy-source and x-nos-move-source the same way; a malformed % is a SigningPolicyError, not a URIError', async () => {
    const at = (src: string, h = 'x-nos-copy-source') => `PUT\n\n\n${GMT(T0)}\n${h}:${src}\n/bkt/user-42%2Fcopy`
    await expect(sign(at('/bkt/user-42%2Fsrc'))).resolves.toBeTypeOf('string')
    expect(await refusal(at('/bkt/%75ser-42%2Fsrc'))).toMatch(/x-nos-copy-source \/bkt\/%75ser-42%2Fsrc is outside the policy/)
    expect(await refusal(at('%2Fbkt%2Fother%2Fsrc'))).toMatch(/outside the policy/)
    expect(await refusal(at('/bkt/user-42%2Fsrc%E0%A4%A'))).toMatch(/the key in x-nos-copy-source is not valid percent-encoding/)
    expect(await refusal(at('/other/user-42%2Fsrc', 'x-nos-move-source'))).toMatch(/x-nos-move-source .* is outside the policy/)
  })
})

describe('sub-resources', () => {
  it('signs the multipart ones by default and refuses ?acl, ?delete and the rest unless allowed', async () => {
    const at = (sub: string, method = 'PUT') => `${method}\n\n\n${GMT(T0)}\n/bkt/user-42%2Fa?${sub}`
    await expect(sign(at('uploads', 'POST'))).resolves.toBeTypeOf('string')
    await expect(sign(at('partNumber=1&uploadId=9'))).resolves.toBeTypeOf('string')
    expect(await refusal(at('acl'))).toMatch(/sub-resource \?acl is not allowed \(allowed: uploads, uploadId, partNumber\)/)
    expect(await refusal(at('delete', 'POST'))).toMatch(/\?delete is not allowed/)
    expect(await refusal(at('deduplication'))).toMatch(/\?deduplication is not allowed/)
    expect(await refusal(at('uploadId=9&versionId=1', 'DELETE'))).toMatch(/\?versionId is not allowed/)
    const withAcl = createPolicySigner(SK, { ...policy, subResources: ['acl'] })
    await expect(withAcl(at('acl'))).resolves.toBeTypeOf('string')
    await expect(withAcl(at('uploads', 'POST'))).rejects.toThrow(/\?uploads is not allowed \(allowed: acl\)/)
  })
})
