/**
 * The emulator's keys, ETags and log: the request log hides signatures, control characters in keys survive XML both
 * ways, the keys `.` and `..` are never another resource, ETag headers are quoted as live NOS sends them and a quiet
 * multi-delete that deleted everything answers an empty DeleteResult.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { AK, Client, SK, errorCode, md5, rawSend, setup, tags } from './helpers.js'

const NOW = Date.UTC(2030, 0, 1)
let emu: Emulator
let c: Client

beforeAll(async () => ({ emu, c } = await setup({ now: () => NOW })))
afterAll(() => emu.close())

const deleteBody = (keys: string[], quiet = false) =>
  `<Delete><Quiet>${quiet}</Quiet>${keys.map((k) => `<Object><Key>${k}</Key></Object>`).join('')}</Delete>`
const multiDelete = (body: string) => c.send({ method: 'POST', bucket: 'bkt', query: { delete: null }, body, headers: { 'Content-MD5': md5(body) } })

describe('request log', () => {
  it('redacts presigned Signature= values on stderr (they were printed in full)', async () => {
    const logged = await startLogged()
    try {
      const lc = new Client(logged, () => NOW)
      const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
      const r = await lc.send({ bucket: 'bkt', key: 'missing', auth: { presignExpires: NOW / 1000 + 60 } })
      const lines = write.mock.calls.map((a) => String(a[0])).filter((l) => l.startsWith('[nos-emulator]'))
      write.mockRestore()
      expect(r.status).toBe(404)
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain('Signature=<redacted>')
      expect(lines[0]).not.toMatch(/Signature=(?!<redacted>)/)
    } finally {
      await logged.close()
    }
  })
})

function startLogged(): Promise<Emulator> {
  return startEmulator({ port: 0, log: true, now: () => NOW, credentials: [{ accessKeyId: AK, accessKeySecret: SK }], buckets: ['bkt'] })
}

describe('control characters in keys', () => {
  it('multi-delete decodes &#9; and &#13; (keys with TAB or CR could not be deleted: NoSuchKey)', async () => {
    for (const key of ['tab\there', 'cr\rhere', 'crlf\r\nhere']) expect((await c.put('bkt', key, 'x')).status).toBe(200)
    const r = await multiDelete(deleteBody(['tab&#9;here', 'cr&#13;here', 'crlf&#x0D;&#10;here']))
    expect(r.status).toBe(200)
    expect(tags(r.text, 'Error')).toEqual([])
    expect(tags(r.text, 'Deleted')).toHaveLength(3)
    expect((await c.get('bkt', 'tab\there')).status).toBe(404)
  })

  it('listings escape CR and other control characters (a raw CR was read back as LF)', async () => {
    const key = 'ctl/\r\x01\x1f\t\n<&>'
    expect((await c.put('bkt', key, 'x')).status).toBe(200)
    const r = await c.send({ bucket: 'bkt', query: { prefix: 'ctl/' } })
    expect(r.text).not.toMatch(/[\r\x01\x1f\t]/)
    expect(tags(r.text, 'Key')).toEqual(['ctl/&#13;&#1;&#31;&#9;\n&lt;&amp;&gt;'])
  })
})

describe('the keys "." and ".."', () => {
  it('are refused with InvalidURI, never served as the bucket or the service (a GET of "." listed the bucket)', async () => {
    for (const path of ['/bkt/.', '/bkt/..', '/bkt/%2e', '/bkt/%2E%2e']) {
      const r = await c.send({ rawPath: path, bucket: 'bkt', signResource: '/bkt/' })
      expect(r.status, path).toBe(400)
      expect(errorCode(r), path).toBe('InvalidURI')
    }
    const put = await rawSend(emu.port, 'PUT', '/bkt/..', { 'Content-Length': '1' }, 'x')
    expect(errorCode(put)).toBe('InvalidURI')
  })
})

describe('ETags as NOS sends them', () => {
  it('quotes the ETag header on PUT, Upload Part, GET, HEAD and copy (they were bare hex)', async () => {
    const quoted = `"${md5('etag body')}"`
    expect((await c.put('bkt', 'e.txt', 'etag body')).headers['etag']).toBe(quoted)
    expect((await c.get('bkt', 'e.txt')).headers['etag']).toBe(quoted)
    expect((await c.send({ method: 'HEAD', bucket: 'bkt', key: 'e.txt' })).headers['etag']).toBe(quoted)
    const copy = await c.send({ method: 'PUT', bucket: 'bkt', key: 'e2.txt', headers: { 'x-nos-copy-source': '/bkt/e.txt' } })
    expect(copy.headers['etag']).toBe(quoted)
    const init = await c.send({ method: 'POST', bucket: 'bkt', key: 'mp', query: { uploads: null } })
    const uploadId = tags(init.text, 'UploadId')[0]!
    const part = await c.send({ method: 'PUT', bucket: 'bkt', key: 'mp', query: { partNumber: '1', uploadId }, body: 'etag body' })
    expect(part.headers['etag']).toBe(quoted)
    // XML bodies keep the bare hex.
    const list = await c.send({ bucket: 'bkt', query: { prefix: 'e.txt' } })
    expect(tags(list.text, 'ETag')).toEqual([md5('etag body')])
  })

  it('a quiet multi-delete that deleted everything answers an empty DeleteResult', async () => {
    expect((await c.put('bkt', 'q.txt', 'x')).status).toBe(200)
    const r = await multiDelete(deleteBody(['q.txt'], true))
    expect(r.status).toBe(200)
    expect(r.text).toMatch(/<DeleteResult><\/DeleteResult>$/)
  })
})

describe('properties', () => {
  it('redactSecrets leaves no signature of any shape in a log line', async () => {
    const fc = (await import('fast-check')).default
    const { redactSecrets } = await import('../../src/emulator/util.js')
    const b64 = fc.string({ unit: fc.constantFrom(...'ABCabc019+/='), minLength: 1, maxLength: 44 })
    fc.assert(
      fc.property(b64, fc.string({ maxLength: 12 }), (sig, ak) => {
        const query = redactSecrets(`[nos-emulator] GET /bkt/k?Expires=1&Signature=${encodeURIComponent(sig)}&x=1 -> 200`)
        const header = redactSecrets(`Authorization: NOS ${ak.replace(/[:\s]/g, '') || 'ak'}:${sig}`)
        return query.includes('&Signature=<redacted>&x=1 ') && header.endsWith(':<redacted>')
      }),
      { numRuns: 200 },
    )
  })
})
