/**
 * Object operations and their NOS semantics: docs/protocol.md#objects, docs/protocol.md#response-headers-and-xml,
 * docs/protocol.md#errors and docs/protocol.md#limits-and-names.
 */
import { randomBytes } from 'node:crypto'
import { request } from 'node:http'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator/index.js'
import { AK, Client, SK, buildStringToSign, errorCode, hmac, md5, setup, tags } from './helpers.js'

const NOW = Date.UTC(2030, 0, 1, 0, 0, 0)
let emu: Emulator
let c: Client

beforeAll(async () => {
  ;({ emu, c } = await setup({ now: () => NOW, buckets: ['bkt', 'other'] }))
})
afterAll(() => emu.close())

describe('PUT / GET / HEAD / DELETE', () => {
  it('stores bytes, Content-Type, metadata and standard headers and echoes them', async () => {
    const body = 'hello world\n'
    const put = await c.put('bkt', 'photos/2024/a b.jpg', body, {
      'Content-Type': 'image/jpeg',
      'Content-MD5': md5(body),
      'x-nos-meta-author': 'alice',
      'Cache-Control': 'max-age=60',
      'Content-Disposition': 'inline',
      'Content-Language': 'en',
      Expires: 'Wed, 01 Jan 2031 00:00:00 GMT',
    })
    expect(put.status).toBe(200)
    expect(put.headers['etag']).toBe(`"${md5(body)}"`)
    expect(put.headers['x-nos-request-id']).toMatch(/^[0-9a-f]{32}$/)
    expect(put.headers['server']).toBe('NOS')
    const get = await c.get('bkt', 'photos/2024/a b.jpg')
    expect(get.text).toBe(body)
    expect(get.headers['content-type']).toBe('image/jpeg')
    expect(get.headers['etag']).toBe(`"${md5(body)}"`)
    expect(get.headers['x-nos-meta-author']).toBe('alice')
    expect(get.headers['cache-control']).toBe('max-age=60')
    expect(get.headers['content-disposition']).toBe('inline')
    expect(get.headers['content-language']).toBe('en')
    expect(get.headers['expires']).toBe('Wed, 01 Jan 2031 00:00:00 GMT')
    // Shanghai wall clock with the zone id (docs/protocol.md#response-headers-and-xml): 00:00 UTC is 08:00 in Shanghai.
    expect(get.headers['last-modified']).toBe('Tue, 01 Jan 2030 08:00:00 Asia/Shanghai')
    const head = await c.send({ method: 'HEAD', bucket: 'bkt', key: 'photos/2024/a b.jpg' })
    expect(head.status).toBe(200)
    expect(head.headers['content-length']).toBe(String(body.length))
    expect(head.body.length).toBe(0)
  })

  it('defaults Content-Type to application/octet-stream and handles empty bodies', async () => {
    expect((await c.put('bkt', 'empty', '')).status).toBe(200)
    const r = await c.get('bkt', 'empty')
    expect(r.headers['content-type']).toBe('application/octet-stream')
    expect(r.headers['etag']).toBe('"d41d8cd98f00b204e9800998ecf8427e"')
    expect(r.body.length).toBe(0)
  })

  it('decodes the key once: a%2Fb and a literal path-style /b/a/b are the same key', async () => {
    await c.send({ method: 'PUT', bucket: 'bkt', key: 'x/y', rawPath: '/bkt/x/y', body: 'slash' })
    expect((await c.get('bkt', 'x/y')).text).toBe('slash')
    await c.put('bkt', 'q+a&b=c?d#e%20f;g,h.txt', 'odd')
    expect((await c.get('bkt', 'q+a&b=c?d#e%20f;g,h.txt')).text).toBe('odd')
    await c.put('bkt', 'emoji-😀/中文.json', '{}')
    expect((await c.get('bkt', 'emoji-😀/中文.json')).text).toBe('{}')
  })

  it('serves virtual-hosted requests (Host: <bucket>.nos.localhost)', async () => {
    const put = await c.send({ method: 'PUT', bucket: 'bkt', key: 'v/h.txt', body: 'vh', virtualHost: emu.endpointHost })
    expect(put.status).toBe(200)
    expect((await c.send({ bucket: 'bkt', key: 'v/h.txt', virtualHost: `nos.localhost:${emu.port}` })).text).toBe('vh')
    expect((await c.send({ bucket: 'bkt', key: 'v/h.txt', virtualHost: `localhost:${emu.port}` })).text).toBe('vh')
    const list = await c.send({ virtualHost: emu.endpointHost })
    expect(tags(list.text, 'Name')).toContain('bkt')
  })

  it('overwrites silently; GET of a missing key is 404 NoSuchKey, missing bucket 404 NoSuchBucket', async () => {
    await c.put('bkt', 'ow', 'one')
    await c.put('bkt', 'ow', 'two')
    expect((await c.get('bkt', 'ow')).text).toBe('two')
    const miss = await c.get('bkt', 'nope')
    expect(miss.status).toBe(404)
    expect(errorCode(miss)).toBe('NoSuchKey')
    expect(tags(miss.text, 'Resource')).toEqual(['/bkt/nope'])
    expect(tags(miss.text, 'RequestId')).toEqual([miss.headers['x-nos-request-id']])
    expect(errorCode(await c.get('nobucket', 'k'))).toBe('NoSuchBucket')
    const head = await c.send({ method: 'HEAD', bucket: 'bkt', key: 'nope' })
    expect(head.status).toBe(404)
    expect(head.body.length).toBe(0)
    expect(head.headers['x-nos-request-id']).toMatch(/^[0-9a-f]{32}$/)
  })

  it('DELETE answers 200, and 404 NoSuchKey for a missing key', async () => {
    await c.put('bkt', 'del', 'x')
    const d = await c.send({ method: 'DELETE', bucket: 'bkt', key: 'del' })
    expect(d.status).toBe(200)
    const again = await c.send({ method: 'DELETE', bucket: 'bkt', key: 'del' })
    expect(again.status).toBe(404)
    expect(errorCode(again)).toBe('NoSuchKey')
    // Java sends an empty versionId: treated as absent.
    await c.put('bkt', 'del2', 'x')
    expect((await c.send({ method: 'DELETE', bucket: 'bkt', key: 'del2', query: { versionId: null } })).status).toBe(200)
  })
})

describe('GET options', () => {
  const data = '0123456789'
  beforeAll(async () => {
    await c.put('bkt', 'r.txt', data, { 'Content-Type': 'text/plain' })
  })

  it('Range bytes=a-b, a-, -n -> 206 with Content-Range', async () => {
    const cases: Array<[string, string, string]> = [
      ['bytes=2-4', '234', 'bytes 2-4/10'],
      ['bytes=7-', '789', 'bytes 7-9/10'],
      ['bytes=-3', '789', 'bytes 7-9/10'],
      ['bytes=5-100', '56789', 'bytes 5-9/10'],
      ['bytes=-20', data, 'bytes 0-9/10'],
    ]
    for (const [range, text, cr] of cases) {
      const r = await c.get('bkt', 'r.txt', { Range: range })
      expect(r.status, range).toBe(206)
      expect(r.text).toBe(text)
      expect(r.headers['content-range']).toBe(cr)
      expect(r.headers['content-length']).toBe(String(text.length))
    }
  })

  it('unsatisfiable range -> 416 InvalidRange', async () => {
    const r = await c.get('bkt', 'r.txt', { Range: 'bytes=10-' })
    expect(r.status).toBe(416)
    expect(errorCode(r)).toBe('InvalidRange')
    expect(r.headers['content-range']).toBe('bytes */10')
  })

  it('download= sets Content-Disposition: attachment', async () => {
    const r = await c.get('bkt', 'r.txt', {}, { download: 'report final.txt' })
    expect(r.headers['content-disposition']).toBe('attachment; filename="report final.txt"')
    const cjk = await c.get('bkt', 'r.txt', {}, { download: '报告.txt' })
    expect(cjk.headers['content-disposition']).toContain("filename*=UTF-8''%E6%8A%A5%E5%91%8A.txt")
  })

  it('If-Modified-Since -> 304; If-None-Match -> 304; If-Match mismatch -> 412', async () => {
    const later = await c.get('bkt', 'r.txt', { 'If-Modified-Since': 'Tue, 01 Jan 2030 08:00:00 Asia/Shanghai' })
    expect(later.status).toBe(304)
    expect(later.body.length).toBe(0)
    const earlier = await c.get('bkt', 'r.txt', { 'If-Modified-Since': 'Mon, 31 Dec 2029 00:00:00 GMT' })
    expect(earlier.status).toBe(200)
    expect((await c.get('bkt', 'r.txt', { 'If-None-Match': md5(data) })).status).toBe(304)
    const pf = await c.get('bkt', 'r.txt', { 'If-Match': 'abc' })
    expect(pf.status).toBe(412)
    expect(errorCode(pf)).toBe('PreconditionFailed')
  })

  it('ifNotFound= serves the fallback object with status 404', async () => {
    await c.put('bkt', '404.html', 'not here')
    const r = await c.get('bkt', 'gone.html', {}, { ifNotFound: '404.html' })
    expect(r.status).toBe(404)
    expect(r.text).toBe('not here')
    expect((await c.get('bkt', 'r.txt', {}, { ifNotFound: '404.html' })).text).toBe(data)
  })
})

describe('copy and move', () => {
  it('copy copies data, Content-Type and metadata, also across buckets', async () => {
    await c.put('bkt', 'src/a b.jpg', 'img', { 'Content-Type': 'image/jpeg', 'x-nos-meta-k': 'v' })
    const r = await c.send({ method: 'PUT', bucket: 'other', key: 'copy.jpg', headers: { 'x-nos-copy-source': '/bkt/src%2Fa%20b.jpg' } })
    expect(r.status).toBe(200)
    const g = await c.get('other', 'copy.jpg')
    expect(g.text).toBe('img')
    expect(g.headers['content-type']).toBe('image/jpeg')
    expect(g.headers['x-nos-meta-k']).toBe('v')
    expect(g.headers['etag']).toBe(`"${md5('img')}"`)
    expect((await c.get('bkt', 'src/a b.jpg')).text).toBe('img')
    // The fully encoded variant (TS3/Go move) also works.
    expect((await c.send({ method: 'PUT', bucket: 'bkt', key: 'copy2', headers: { 'x-nos-copy-source': '%2Fbkt%2Fsrc%2Fa%20b.jpg' } })).status).toBe(200)
  })

  it('copy of a missing source -> NoSuchKey / NoSuchBucket', async () => {
    expect(errorCode(await c.send({ method: 'PUT', bucket: 'bkt', key: 'c', headers: { 'x-nos-copy-source': '/bkt/none' } }))).toBe('NoSuchKey')
    expect(errorCode(await c.send({ method: 'PUT', bucket: 'bkt', key: 'c', headers: { 'x-nos-copy-source': '/nob/none' } }))).toBe('NoSuchBucket')
  })

  it('move renames within a bucket and keeps the ETag; across buckets -> 400 InvalidArgument', async () => {
    await c.put('bkt', 'mv-src', 'move me', { 'x-nos-meta-m': '1' })
    const r = await c.send({ method: 'PUT', bucket: 'bkt', key: 'moved/dst', headers: { 'x-nos-move-source': '/bkt/mv-src' } })
    expect(r.status).toBe(200)
    expect(errorCode(await c.get('bkt', 'mv-src'))).toBe('NoSuchKey')
    const g = await c.get('bkt', 'moved/dst')
    expect(g.text).toBe('move me')
    expect(g.headers['etag']).toBe(`"${md5('move me')}"`)
    expect(g.headers['x-nos-meta-m']).toBe('1')
    const cross = await c.send({ method: 'PUT', bucket: 'other', key: 'x', headers: { 'x-nos-move-source': '/bkt/moved%2Fdst' } })
    expect(cross.status).toBe(400)
    expect(errorCode(cross)).toBe('InvalidArgument')
  })

  it('PUT ?meta replaces Content-Type and metadata, keeping the bytes', async () => {
    await c.put('bkt', 'meta.txt', 'keep', { 'Content-Type': 'text/plain', 'x-nos-meta-old': '1' })
    const r = await c.send({ method: 'PUT', bucket: 'bkt', key: 'meta.txt', query: { meta: null }, headers: { 'Content-Type': 'text/html', 'x-nos-meta-new': '2' }, body: '' })
    expect(r.status).toBe(200)
    const g = await c.get('bkt', 'meta.txt')
    expect(g.text).toBe('keep')
    expect(g.headers['content-type']).toBe('text/html')
    expect(g.headers['x-nos-meta-new']).toBe('2')
    expect(g.headers['x-nos-meta-old']).toBeUndefined()
  })
})

describe('delete multiple objects', () => {
  const body = (keys: string[], quiet = false): string =>
    `<Delete xmlns="http://nos.netease.com//"><Quiet>${quiet}</Quiet>${keys.map((k) => `<Object><Key>${k}</Key></Object>`).join('')}</Delete>`

  it('deletes, reporting missing keys as <Error> NoSuchKey', async () => {
    await c.put('bkt', 'm1', '1')
    await c.put('bkt', 'a & b.txt', '2')
    const xml = body(['m1', 'a &amp; b.txt', 'missing'])
    const r = await c.send({ method: 'POST', bucket: 'bkt', query: { delete: null }, body: xml, headers: { 'Content-MD5': md5(xml) } })
    expect(r.status).toBe(200)
    expect(tags(r.text, 'Deleted')).toEqual(['<Key>m1</Key>', '<Key>a &amp; b.txt</Key>'])
    expect(tags(r.text, 'Error')).toEqual(['<Key>missing</Key><Code>NoSuchKey</Code><Message>No Such Key</Message>'])
    expect(errorCode(await c.get('bkt', 'm1'))).toBe('NoSuchKey')
  })

  it('quiet mode lists only errors', async () => {
    await c.put('bkt', 'q1', '1')
    const r = await c.send({ method: 'POST', bucket: 'bkt', query: { delete: null }, body: body(['q1', 'q-missing'], true) })
    expect(tags(r.text, 'Deleted')).toEqual([])
    expect(tags(r.text, 'Key')).toEqual(['q-missing'])
    await c.put('bkt', 'q2', '1')
    const ok = await c.send({ method: 'POST', bucket: 'bkt', query: { delete: null }, body: body(['q2'], true) })
    expect(ok.status).toBe(200)
    expect(ok.text).not.toContain('<Deleted>')
  })

  it('empty list, empty key, > 1000 keys or broken XML -> 400 MalformedXML', async () => {
    for (const xml of [body([]), body(['']), body(Array.from({ length: 1001 }, (_, i) => `k${i}`)), '<Delete><Object>']) {
      const r = await c.send({ method: 'POST', bucket: 'bkt', query: { delete: null }, body: xml })
      expect(r.status).toBe(400)
      expect(errorCode(r)).toBe('MalformedXML')
    }
  })
})

describe('limits and integrity', () => {
  it('Content-MD5 as hex or Base64; mismatch -> BadDigest; malformed -> InvalidDigest', async () => {
    const body = 'digest me'
    expect((await c.put('bkt', 'md5hex', body, { 'Content-MD5': md5(body).toUpperCase() })).status).toBe(200)
    const b64 = Buffer.from(md5(body), 'hex').toString('base64')
    expect((await c.put('bkt', 'md5b64', body, { 'Content-MD5': b64 })).status).toBe(200)
    const bad = await c.put('bkt', 'md5bad', body, { 'Content-MD5': md5('other') })
    expect(bad.status).toBe(400)
    expect(errorCode(bad)).toBe('BadDigest')
    expect(errorCode(await c.get('bkt', 'md5bad'))).toBe('NoSuchKey')
    expect(errorCode(await c.put('bkt', 'md5bad', body, { 'Content-MD5': '12345678901234567890123' }))).toBe('InvalidDigest')
  })

  it('keys over 1000 UTF-8 bytes -> KeyTooLong (1000 is fine)', async () => {
    expect((await c.put('bkt', 'k'.repeat(1000), 'x')).status).toBe(200)
    const r = await c.put('bkt', '中'.repeat(334), 'x')
    expect(r.status).toBe(400)
    expect(errorCode(r)).toBe('KeyTooLong')
  })

  it('a declared Content-Length over 100 MiB -> 400 EntityTooLarge before the body is read', async () => {
    const date = new Date(NOW).toUTCString()
    const auth = `NOS ${AK}:${hmac(SK, buildStringToSign('PUT', { Date: date }, '/bkt/huge'))}`
    const r = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: emu.port, method: 'PUT', path: '/bkt/huge', headers: { Date: date, Authorization: auth, 'Content-Length': String(104857601) } }, (res) => {
        let text = ''
        res.on('data', (d: Buffer) => (text += d))
        res.on('end', () => resolve({ status: res.statusCode!, text }))
      })
      req.on('error', () => undefined)
      req.write(Buffer.alloc(1024))
      setTimeout(() => reject(new Error('no answer')), 5000).unref()
    })
    expect(r.status).toBe(400)
    expect(errorCode({ text: r.text } as never)).toBe('EntityTooLarge')
    expect(emu.requests.at(-1)?.errorCode).toBe('EntityTooLarge')
  })

  it('a chunked body growing past 100 MiB is cut off with EntityTooLarge and leaves nothing', async () => {
    const date = new Date(NOW).toUTCString()
    const auth = `NOS ${AK}:${hmac(SK, buildStringToSign('PUT', { Date: date }, '/bkt/stream'))}`
    const chunk = randomBytes(1024 * 1024)
    const status = await new Promise<number>((resolve, reject) => {
      let done = false
      const req = request({ host: '127.0.0.1', port: emu.port, method: 'PUT', path: '/bkt/stream', headers: { Date: date, Authorization: auth, 'Transfer-Encoding': 'chunked' } }, (res) => {
        done = true
        res.resume()
        resolve(res.statusCode!)
      })
      req.on('error', (e) => (done ? undefined : reject(e)))
      let sent = 0
      const pump = (): void => {
        while (!done && sent < 102) {
          sent++
          if (!req.write(chunk)) return void req.once('drain', pump)
        }
        if (!done) req.end()
      }
      pump()
    })
    expect(status).toBe(400)
    expect(emu.requests.at(-1)?.errorCode).toBe('EntityTooLarge')
    expect(errorCode(await c.get('bkt', 'stream'))).toBe('NoSuchKey')
  })

  it('a body shorter than Content-Length (client closes early) -> IncompleteBody, nothing stored', async () => {
    const date = new Date(NOW).toUTCString()
    const auth = `NOS ${AK}:${hmac(SK, buildStringToSign('PUT', { Date: date }, '/bkt/short'))}`
    const reply = await new Promise<string>((resolve) => {
      const s = net.connect(emu.port, '127.0.0.1')
      let text = ''
      s.on('data', (d) => (text += d))
      s.on('close', () => resolve(text))
      s.on('error', () => undefined)
      // Half-close once the head and 10 of the 100 bytes are written: the server reads the end of the body early.
      s.write(`PUT /bkt/short HTTP/1.1\r\nHost: 127.0.0.1\r\nDate: ${date}\r\nAuthorization: ${auth}\r\nContent-Length: 100\r\n\r\n0123456789`, () => s.end())
    })
    expect(reply).toMatch(/^HTTP\/1\.1 400/)
    expect(reply).toContain('<Code>IncompleteBody</Code>')
    const entry = emu.requests.filter((e) => e.key === 'short').at(-1)
    expect(entry?.errorCode).toBe('IncompleteBody')
    expect(errorCode(await c.get('bkt', 'short'))).toBe('NoSuchKey')
  })

  it('unsupported verbs -> 405 MethodNotAllowed', async () => {
    const r = await c.send({ method: 'PATCH', bucket: 'bkt', key: 'k' })
    expect(r.status).toBe(405)
    expect(errorCode(r)).toBe('MethodNotAllowed')
    expect(errorCode(await c.send({ method: 'POST', bucket: 'bkt', key: 'k', body: '' }))).toBe('MethodNotAllowed')
  })
})

describe('response conventions', () => {
  it('every response carries x-nos-request-id (32 hex) and Server: NOS; errors are application/xml', async () => {
    const replies = [
      await c.get('bkt', 'r.txt'),
      await c.get('bkt', 'none'),
      await c.send({ method: 'HEAD', bucket: 'bkt', key: 'none' }),
      await c.send({ bucket: 'bkt', key: 'r.txt', auth: false }),
      await c.send({ method: 'PATCH', bucket: 'bkt' }),
      await c.send({ method: 'OPTIONS', bucket: 'bkt', key: 'r.txt', auth: false, headers: { Origin: 'http://x', 'Access-Control-Request-Method': 'GET' } }),
      await c.send({}),
    ]
    const ids = new Set<string>()
    for (const r of replies) {
      expect(r.headers['x-nos-request-id']).toMatch(/^[0-9a-f]{32}$/)
      expect(r.headers['server']).toBe('NOS')
      ids.add(String(r.headers['x-nos-request-id']))
      if (r.status >= 400 && r.body.length) expect(r.headers['content-type']).toBe('application/xml')
    }
    expect(ids.size).toBe(replies.length)
  })
})

describe('concurrency', () => {
  it('50 concurrent PUT/GET of distinct keys without corruption', async () => {
    const bodies = Array.from({ length: 50 }, (_, i) => randomBytes(1024 * (16 + i * 7)))
    const puts = await Promise.all(bodies.map((b, i) => c.put('bkt', `conc/${i}`, b)))
    puts.forEach((r, i) => expect(r.headers['etag']).toBe(`"${md5(bodies[i]!)}"`))
    const gets = await Promise.all(bodies.map((_, i) => c.get('bkt', `conc/${i}`)))
    gets.forEach((r, i) => expect(md5(r.body)).toBe(md5(bodies[i]!)))
  })
})
