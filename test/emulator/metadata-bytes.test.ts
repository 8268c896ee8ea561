/**
 * Raw bytes in metadata headers (docs/protocol.md#metadata-encoding): a client that writes `x-nos-meta-*` values as
 * raw UTF-8 and signs those bytes is accepted, and the emulator stores and echoes the very bytes, also across a
 * restart of a disk store. Signatures are over bytes: the same text signed as UTF-8 of its Latin-1 reading is refused.
 * Bodies are Buffers: node:http writes the headers together with a first string chunk in that chunk's encoding
 * (UTF-8), which would re-encode the header bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setup } from './helpers.js'

/** The UTF-8 bytes of `text` as a header value string: one character per byte, as Node sends and receives headers. */
const rawUtf8 = (text: string) => Buffer.from(text, 'utf8').toString('latin1')
/** The HMAC over the bytes: the helper signs its string as UTF-8, so it is handed the bytes' UTF-8 reading. */
const overBytes = (sts: string) => Buffer.from(sts, 'latin1').toString('utf8')
const headerBytes = (v: string | string[] | undefined) => [...Buffer.from(String(v ?? ''), 'latin1')]

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nos-meta-bytes-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('metadata bytes', () => {
  it('raw UTF-8 metadata signed over its bytes is stored and echoed byte for byte, also after a restart (disk store)', async () => {
    const value = rawUtf8('张三 café')
    let { emu, c } = await setup({ dataDir: dir })
    try {
      const put = await c.send({ method: 'PUT', bucket: 'bkt', key: 'owned.txt', body: Buffer.from('x'), headers: { 'x-nos-meta-owner': value }, tamper: overBytes })
      expect(put.status, put.text).toBe(200)
      for (const method of ['GET', 'HEAD']) {
        const r = await c.send({ method, bucket: 'bkt', key: 'owned.txt' })
        expect(headerBytes(r.headers['x-nos-meta-owner'])).toEqual([...Buffer.from('张三 café', 'utf8')])
      }
    } finally {
      await emu.close()
    }
    ;({ emu, c } = await setup({ dataDir: dir }))
    try {
      const r = await c.send({ method: 'HEAD', bucket: 'bkt', key: 'owned.txt' })
      expect(Buffer.from(String(r.headers['x-nos-meta-owner']), 'latin1').toString('utf8')).toBe('张三 café')
    } finally {
      await emu.close()
    }
  })

  it('the signature covers the bytes: signing the UTF-8 of their Latin-1 reading is SignatureDoesNotMatch', async () => {
    const { emu, c } = await setup()
    try {
      const value = rawUtf8('张三')
      const wrong = await c.put('bkt', 'k', Buffer.from('x'), { 'x-nos-meta-owner': value })
      // The helper's own signing reads the header string as text: "å¼ ä¸" encoded again as UTF-8.
      expect(wrong.status).toBe(403)
      const right = await c.send({ method: 'PUT', bucket: 'bkt', key: 'k', body: Buffer.from('x'), headers: { 'x-nos-meta-owner': value }, tamper: overBytes })
      expect(right.status, right.text).toBe(200)
    } finally {
      await emu.close()
    }
  })
})
