/**
 * `cacheControl` and `contentDisposition` (ObjectHeaderOptions) travel with putObject and every path of upload()
 * (one PUT; multipart: on Initiate and again on Complete, docs/protocol.md#multipart-upload) and come back from
 * headObject.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { InvalidArgument, type NosClient } from '../../src/index.js'
import type { Emulator } from '../../src/emulator/index.js'
import { randomBytes, setup } from './setup.js'

let emu: Emulator
let client: NosClient

beforeAll(async () => {
  ;({ emu, client } = await setup())
})
afterAll(() => emu.close())

const headers = { cacheControl: 'max-age=60, public', contentDisposition: 'attachment; filename="r.pdf"' }

it('putObject and upload() (single PUT and multipart) store Cache-Control and Content-Disposition', async () => {
  await client.putObject({ bucket: 'bkt', key: 'put', body: 'x', ...headers })
  await client.upload({ bucket: 'bkt', key: 'single', body: 'small', ...headers })
  await client.upload({ bucket: 'bkt', key: 'multi', body: randomBytes(40 * 1024, 3), partSize: 16 * 1024, ...headers })
  for (const key of ['put', 'single', 'multi']) {
    expect(await client.headObject({ bucket: 'bkt', key }), key).toMatchObject(headers)
  }
  await client.putObject({ bucket: 'bkt', key: 'plain', body: 'x' })
  const plain = await client.headObject({ bucket: 'bkt', key: 'plain' })
  expect([plain.cacheControl, plain.contentDisposition]).toEqual([undefined, undefined])
})

it('a header value that cannot travel is refused before any request', async () => {
  emu.clearRequestLog()
  await expect(client.upload({ bucket: 'bkt', key: 'bad', body: 'x', contentDisposition: 'attachment; filename="报告.pdf"' })).rejects.toThrow(InvalidArgument)
  await expect(client.putObject({ bucket: 'bkt', key: 'bad', body: 'x', cacheControl: 'a\r\nb' })).rejects.toThrow(InvalidArgument)
  expect(emu.requests).toHaveLength(0)
})
