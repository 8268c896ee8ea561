/**
 * Keys: every key NOS accepts survives put -> list -> get -> copy -> delete-multiple byte for
 * byte, through the SDK and the emulator over HTTP; any other key is refused before a request. Control characters
 * travel as numeric character references in XML both ways (docs/protocol.md#numeric-character-references); `.` and
 * `..` cannot be addressed in a URL and are refused (docs/protocol.md#key-encoding-and-canonical-resource).
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NosClient, isNosErrorKind } from '../../src/index.js'
import { setup } from './setup.js'

let emu: Awaited<ReturnType<typeof setup>>['emu']
let client: NosClient
beforeAll(async () => ({ emu, client } = await setup({}, { maxRetries: 0 })))
afterAll(() => emu.close())

/** Puts, lists, gets, copies and multi-deletes `key`; every step must see the key exactly. */
async function roundTrip(key: string, body: string): Promise<void> {
  const copy = `${key}\u0001copy`
  await client.putObject({ bucket: 'bkt', key, body })
  const listed = await client.listObjects({ bucket: 'bkt', prefix: key })
  expect(listed.contents.map((c) => c.key)).toContain(key)
  expect(await (await client.getObject({ bucket: 'bkt', key })).text()).toBe(body)
  await client.copyObject({ srcBucket: 'bkt', srcKey: key, destBucket: 'bkt', destKey: copy })
  expect(await (await client.getObject({ bucket: 'bkt', key: copy })).text()).toBe(body)
  const { deleted } = await client.deleteObjects({ bucket: 'bkt', keys: [key, copy] })
  expect(deleted.map((d) => d.key).sort()).toEqual([key, copy].sort())
  const after = await client.listObjects({ bucket: 'bkt', prefix: key })
  expect(after.contents.map((c) => c.key)).not.toContain(key)
}

describe('keys with control characters', () => {
  it('a key with TAB, CR or CRLF can be deleted by deleteObjects (it answered NoSuchKey) and lists as stored', async () => {
    for (const key of ['tab\tkey', 'cr\rkey', 'crlf\r\nkey', 'lf\nkey']) await roundTrip(key, `body of ${JSON.stringify(key)}`)
  })
})

const unit = fc.oneof(
  { arbitrary: fc.constantFrom('\t', '\r', '\n', '\r\n', '\x00', '\x01', '\x1b', '\x1f', '\x7f'), weight: 3 },
  { arbitrary: fc.constantFrom('&', '<', '>', '"', "'", '&amp;', '&#9;', ']]>', '<!--'), weight: 2 },
  { arbitrary: fc.constantFrom('%', '%2e', '%2F', '%25', '+', '.', '..', '/', ' ', '?', '#', '~', '*', '\\'), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }), weight: 2 },
  { arbitrary: fc.constantFrom('\uD800', '\uDFFF'), weight: 1 },
)
const key = fc.oneof(
  { arbitrary: fc.array(unit, { minLength: 1, maxLength: 12 }).map((a) => a.join('')), weight: 8 },
  { arbitrary: fc.constantFrom('.', '..', '%2e', '%2E%2e', './', '../x', '.%2F'), weight: 1 },
)

describe('keys (property)', () => {
  it('round-trip byte-exact through the emulator, or are refused before any request', async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(key, async (k) => {
        emu.clearRequestLog()
        const body = `object ${n++}`
        const err = await roundTrip(k, body).then(() => undefined, (e: unknown) => e)
        if (err === undefined) return
        // Refused: only as a typed ClientException, and nothing reached the server.
        expect(isNosErrorKind(err, 'InvalidObjectName'), `${JSON.stringify(k)}: ${String(err)}`).toBe(true)
        expect(emu.requests).toHaveLength(0)
      }),
      { numRuns: 60, seed: 9 },
    )
  })
})

describe('why "." and ".." are refused rather than percent-encoded', () => {
  it('WHATWG URL parsing (every fetch) treats %2e as a dot segment too', () => {
    expect(new URL('http://h/b/.').pathname).toBe('/b/')
    expect(new URL('http://h/b/%2e').pathname).toBe('/b/')
    expect(new URL('http://h/b/%2E%2e').pathname).toBe('/')
    expect(new Request('http://h/b/%2e').url).toBe('http://h/b/')
    // Only whole segments: NOS encodes '/' inside keys, so './x' is one segment and stays as written.
    expect(new URL('http://h/b/.%2Fx').pathname).toBe('/b/.%2Fx')
  })
})
