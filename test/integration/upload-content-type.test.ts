/**
 * `upload()` stores the Content-Type `putObject` would store for the same body and arguments (the
 * caller's `contentType`, else a Blob's or File's type, else JSON for objects), on the single PUT and on multipart
 * (Initiate and Complete both carry it). The Chromium half is test/browser/edges.spec.ts (the UMD bundle).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { setup } from './setup.js'
import type { BodyInput, NosClient } from '../../src/index.js'

let emu: Awaited<ReturnType<typeof setup>>['emu']
let client: NosClient
/** Headers of the requests the client sent (observed at its fetch, then sent for real). */
const sent: { method: string; url: string; contentType: string | null }[] = []
beforeAll(async () => {
  ;({ emu, client } = await setup({}, {
    fetch: (input, init) => {
      sent.push({ method: init?.method ?? 'GET', url: String(input), contentType: new Headers(init?.headers).get('content-type') })
      return fetch(input, init)
    },
  }))
})
afterAll(() => emu.close())

const KiB = 1024
const PART = 16 * KiB
const bytes = (n: number) => new Uint8Array(n).map((_, i) => (i * 31) % 251)
const svg = (n: number) => new File([bytes(n)], 'drawing.svg', { type: 'image/svg+xml' })
const storedType = async (key: string) => (await client.headObject({ bucket: 'bkt', key })).contentType

describe('upload() Content-Type', () => {
  it('regression: a File typed image/svg+xml and a plain object keep their types, single PUT and multipart, as putObject', async () => {
    await client.putObject({ bucket: 'bkt', key: 'ct/put.svg', body: svg(100) })
    await client.upload({ bucket: 'bkt', key: 'ct/one.svg', body: svg(100) })
    await client.upload({ bucket: 'bkt', key: 'ct/multi.svg', body: svg(3 * PART + 1), partSize: PART })
    await client.putObject({ bucket: 'bkt', key: 'ct/put.json', body: { a: 1 } })
    await client.upload({ bucket: 'bkt', key: 'ct/one.json', body: { a: 1 } })
    await client.upload({ bucket: 'bkt', key: 'ct/multi.json', body: Array.from({ length: 9000 }, (_, i) => i), partSize: PART })
    for (const key of ['ct/put.svg', 'ct/one.svg', 'ct/multi.svg']) expect(await storedType(key), key).toBe('image/svg+xml')
    for (const key of ['ct/put.json', 'ct/one.json', 'ct/multi.json']) expect(await storedType(key), key).toBe('application/json')
  })

  it('regression: multipart sends the type on Initiate and on Complete; an explicit contentType wins over the body\'s', async () => {
    sent.length = 0
    const r = await client.upload({ bucket: 'bkt', key: 'ct/explicit.svg', body: svg(2 * PART), partSize: PART, contentType: 'image/x-custom' })
    expect(r.partsTotal).toBe(2)
    const initiate = sent.find((s) => s.method === 'POST' && /\?uploads/.test(s.url))
    const complete = sent.find((s) => s.method === 'POST' && /uploadId=/.test(s.url))
    expect(initiate?.contentType).toBe('image/x-custom')
    expect(complete?.contentType).toBe('image/x-custom')
    expect(await storedType('ct/explicit.svg')).toBe('image/x-custom')
  })

  it('property: for any body kind, size and contentType, upload() stores the Content-Type putObject stores', async () => {
    const TYPES = ['image/svg+xml', 'text/plain;charset=utf-8', 'application/pdf', '']
    const kinds = ['string', 'bytes', 'blob', 'file', 'object', 'array', 'stream'] as const
    const make = (kind: (typeof kinds)[number], size: number, type: string): BodyInput => {
      const b = bytes(size)
      switch (kind) {
        case 'string': return 'x'.repeat(size)
        case 'bytes': return b
        case 'blob': return new Blob([b], { type })
        case 'file': return new File([b], 'f.bin', { type })
        case 'object': return { pad: 'y'.repeat(size) }
        case 'array': return ['z'.repeat(size)]
        case 'stream': return new Blob([b]).stream()
      }
    }
    let n = 0
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...kinds), fc.constantFrom(10, PART + 1, 3 * PART), fc.constantFrom(...TYPES), fc.option(fc.constantFrom(...TYPES.filter(Boolean)), { nil: undefined }),
        async (kind, size, type, contentType) => {
          const key = `ct/prop-${++n}`
          const put = await client.putObject({ bucket: 'bkt', key: `${key}-put`, body: make(kind, size, type), contentType, contentLength: kind === 'stream' ? size : undefined })
          await client.upload({ bucket: 'bkt', key, body: make(kind, size, type), contentType, partSize: PART, contentLength: kind === 'stream' ? size : undefined })
          expect(put.etag).toMatch(/^[0-9a-f]{32}$/)
          expect(await storedType(key)).toBe(await storedType(`${key}-put`))
        },
      ),
      { numRuns: 40, seed: 15 },
    )
  })
})
