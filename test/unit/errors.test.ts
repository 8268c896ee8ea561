import { describe, expect, it } from 'vitest'
import vm from 'node:vm'
import * as nos from '../../src/index.js'
import { errorFromResponse } from '../../src/core/transport.js'
import { redact } from '../../src/core/errors.js'

const table: [number, string][] = [
  [400, 'BadRequestError'],
  [403, 'ForbiddenError'],
  [404, 'NotFoundError'],
  [405, 'MethodNotAllowedError'],
  [409, 'ConflictError'],
  [411, 'LengthRequiredError'],
  [416, 'RequestedRangeNotSatisfiableError'],
  [500, 'InternalServerErrorError'],
  [501, 'NotImplementedError'],
  [503, 'ServiceUnavailableError'],
  [418, 'ServiceException'],
  [502, 'ServiceException'],
]

describe('status -> exception (the seed mapping)', () => {
  for (const [status, name] of table) {
    it(`${status} -> ${name}`, async () => {
      const res = new Response(`<Error><Code>C${status}</Code><Message>m</Message></Error>`, { status, headers: { 'x-nos-request-id': 'r' } })
      const err = await errorFromResponse(res, { method: 'GET' }, '/b/k')
      expect(err.name).toBe(name)
      expect(err).toBeInstanceOf((nos as unknown as Record<string, typeof Error>)[name])
      expect(err).toBeInstanceOf(nos.ServiceException)
      expect(err).toBeInstanceOf(nos.NOSException)
      expect(err).toMatchObject({ statusCode: status, errorCode: `C${status}`, requestId: 'r', resource: '/b/k' })
      expect(nos.isServiceException(err)).toBe(true)
      expect(nos.isClientException(err)).toBe(false)
      expect(nos.isNosErrorKind(err, name)).toBe(true)
    })
  }
})

describe('the exception family', () => {
  it('has the seed hierarchy', () => {
    const client = ['InvalidBucketName', 'InvalidObjectName', 'FileOpenModeError', 'XmlParseError', 'SerializationError', 'ConnectionError', 'InvalidArgument']
    for (const n of client) expect(new (nos as any)[n]('x')).toBeInstanceOf(nos.ClientException)
    expect(new nos.ConnectionTimeout('x')).toBeInstanceOf(nos.ConnectionError)
    expect(new nos.MultiObjectDeleteException([{ key: 'a', code: 'NoSuchKey', message: 'm' }], [])).toBeInstanceOf(nos.ServiceException)
    expect(new nos.ClientException('x')).toBeInstanceOf(nos.NOSException)
  })

  it('is recognised across realms without instanceof', () => {
    const err = new nos.ConnectionTimeout('t')
    const foreign = vm.runInNewContext('(e) => { const o = Object.create(e); return o }')(err)
    expect(nos.isNosException(err)).toBe(true)
    expect(nos.isNosErrorKind(err, 'ConnectionError')).toBe(true)
    expect(nos.isClientException(foreign)).toBe(true)
    expect(nos.isNosException(new Error('x'))).toBe(false)
    expect(nos.isNosException(null)).toBe(false)
  })

  it('redacts signatures', () => {
    expect(redact('url?Signature=abc%2B&x=1')).toBe('url?Signature=<redacted>&x=1')
    expect(redact('Authorization: NOS AK:c2ln+/=')).toBe('Authorization: NOS AK:<redacted>')
    expect(new nos.NOSException('GET x?Signature=zzz').message).not.toContain('zzz')
  })
})

describe('XML parsing of large listings', () => {
  it('parses 1000 keys full of escaped characters (beyond fast-xml-parser default entity budget)', async () => {
    const { parseListObjects } = await import('../../src/operations/listing.js')
    await (await import('../../src/core/xml.js')).loadXmlParser()
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i} <a> & "b" 'c' ${'<'.repeat(50)}`)
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    const xml = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated>${keys.map((k) => `<Contents><Key>${esc(k)}</Key><Size>1</Size></Contents>`).join('')}</ListBucketResult>`
    const r = parseListObjects(xml, 'rid', 'b')
    expect(r.contents.map((c) => c.key)).toEqual(keys)
  })
})
