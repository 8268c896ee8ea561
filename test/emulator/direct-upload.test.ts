/** Direct upload with upload tokens (docs/protocol.md#direct-upload), using the documentation's own token vector. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { Client, hmac, md5, rawSend } from './helpers.js'

// docs/protocol.md#upload-tokens: the documented sample keys and token.
const AK = 'b6ff5ed65d1041e9a56e2257a2672990'
const SK = 'ae0208eea57c4bc9bc5754368c06a542'
const POLICY = 'eyJCdWNrZXQiOiJkb2MiLCJPYmplY3QiOiJhbm5lLmpwZyIsIkV4cGlyZXMiOjE0NTE0OTEyMDB9'
const TOKEN = `UPLOAD ${AK}:+SL08gyotpanS0qQdqugiWVdDSlsfrQr6YXUNw0Nkz4=:${POLICY}`
let now = Date.UTC(2015, 11, 30, 0, 0, 0)

let emu: Emulator
let c: Client
beforeAll(async () => {
  emu = await startEmulator({ credentials: [{ accessKeyId: AK, accessKeySecret: SK }], buckets: ['doc'], now: () => now })
  c = new Client(emu, () => now)
})
afterAll(() => emu.close())

const token = (policy: object): string => {
  const b64 = Buffer.from(JSON.stringify(policy)).toString('base64')
  return `UPLOAD ${AK}:${hmac(SK, b64)}:${b64}`
}

function chunk(query: string, body: string, t = TOKEN, headers: Record<string, string> = {}) {
  return rawSend(emu.port, 'POST', `/doc/anne.jpg?${query}`, { 'x-nos-token': t, 'Content-Length': String(body.length), ...headers }, body)
}

describe('direct upload', () => {
  it('the documented token signs its policy with HMAC-SHA256', () => {
    expect(hmac('SecretKey', POLICY)).toBe('v8Q5BNIJuEoi6zckOzPuC5hADL4t/zNaecakkk8STuE=')
  })

  it('LBS answers with this emulator as the edge node', async () => {
    const r = await rawSend(emu.port, 'GET', '/lbs?version=1.0&bucketname=doc', {})
    expect(JSON.parse(r.text)).toEqual({ lbs: `http://127.0.0.1:${emu.port}/lbs`, upload: [`http://127.0.0.1:${emu.port}`] })
  })

  it('uploads in chunks with offset/context, resumes via the offset query, completes', async () => {
    const first = await chunk('offset=0&complete=false&context=&version=1.0', 'hello ')
    expect(first.status).toBe(200)
    const j1 = JSON.parse(first.text) as { offset: number; context: string; requestID: string }
    expect(j1.offset).toBe(6)
    expect(j1.requestID).toBe(first.headers['x-nos-request-id'])
    const q = await rawSend(emu.port, 'GET', `/doc/anne.jpg?uploadContext&version=1.0&context=${j1.context}`, { 'x-nos-token': TOKEN })
    expect(JSON.parse(q.text)).toEqual({ offset: 6 })
    const wrongOffset = await chunk(`offset=3&complete=false&context=${j1.context}&version=1.0`, 'x')
    expect(wrongOffset.status).toBe(400)
    expect(JSON.parse(wrongOffset.text).errCode).toBe(400)
    const last = await chunk(`offset=6&complete=true&context=${j1.context}&version=1.0`, 'world', TOKEN, { 'Content-MD5': md5('hello world'), 'Content-Type': 'image/jpeg' })
    expect(JSON.parse(last.text).offset).toBe(11)
    const g = await c.send({ bucket: 'doc', key: 'anne.jpg', ak: AK, sk: SK })
    expect(g.text).toBe('hello world')
    expect(g.headers['etag']).toBe(`"${md5('hello world')}"`)
    expect(g.headers['content-type']).toBe('image/jpeg')
    const gone = await rawSend(emu.port, 'GET', `/doc/anne.jpg?uploadContext&version=1.0&context=${j1.context}`, { 'x-nos-token': TOKEN })
    expect(gone.status).toBe(404)
  })

  it('rejects expired tokens, other objects, bad signatures (403) and unknown contexts (404)', async () => {
    const wrongKey = await rawSend(emu.port, 'POST', '/doc/other.jpg?offset=0&complete=true&version=1.0', { 'x-nos-token': TOKEN, 'Content-Length': '1' }, 'x')
    expect(wrongKey.status).toBe(403)
    expect(JSON.parse(wrongKey.text).errCode).toBe(403)
    const forged = TOKEN.replace(':+SL', ':+SM')
    expect((await chunk('offset=0&complete=true&version=1.0', 'x', forged)).status).toBe(403)
    expect((await chunk('offset=0&complete=false&context=nope&version=1.0', 'x')).status).toBe(404)
    now = Date.UTC(2016, 0, 1)
    try {
      expect((await chunk('offset=0&complete=true&version=1.0', 'x')).status).toBe(403)
    } finally {
      now = Date.UTC(2015, 11, 30)
    }
  })

  it('accepts x-nos-token instead of a signature for REST uploads only', async () => {
    const t = token({ Bucket: 'doc', Object: 'rest.txt', Expires: now / 1000 + 60 })
    expect((await rawSend(emu.port, 'PUT', '/doc/rest.txt', { 'x-nos-token': t, 'Content-Length': '4' }, 'rest')).status).toBe(200)
    expect((await rawSend(emu.port, 'GET', '/doc/rest.txt', { 'x-nos-token': t })).status).toBe(403)
  })

  it('preflights carrying x-nos-token are allowed (edge-node CORS)', async () => {
    const r = await rawSend(emu.port, 'OPTIONS', '/doc/anne.jpg', { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-nos-token, content-type' })
    expect(r.status).toBe(200)
    expect(r.headers['access-control-allow-origin']).toBe('https://app.example')
  })
})
