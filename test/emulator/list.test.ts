/** List Objects (docs/protocol.md#listing-objects): prefix, delimiter, marker, max-keys, NextMarker, CommonPrefixes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator/index.js'
import { Client, errorCode, setup, tags } from './helpers.js'

let emu: Emulator
let c: Client
const KEYS = ['a.txt', 'photos/2023/x.jpg', 'photos/2024/a.jpg', 'photos/2024/b.jpg', 'photos/a.jpg', 'photos/b.jpg', 'z', '0001']

beforeAll(async () => {
  ;({ emu, c } = await setup({ now: () => Date.UTC(2016, 6, 23, 3, 45, 42) }))
  for (const k of KEYS) await c.put('bkt', k, k)
})
afterAll(() => emu.close())

const list = (query: Record<string, string>) => c.send({ bucket: 'bkt', query })

describe('list objects', () => {
  it('lists every key in byte order with NOS element shapes', async () => {
    const r = await list({})
    expect(r.status).toBe(200)
    expect(r.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true)
    expect(r.text).not.toContain('xmlns')
    expect(tags(r.text, 'Key')).toEqual([...KEYS].sort())
    expect(tags(r.text, 'MaxKeys')).toEqual(['100'])
    expect(tags(r.text, 'IsTruncated')).toEqual(['false'])
    expect(tags(r.text, 'LastModified')[0]).toBe('2016-07-23T11:45:42 +0800')
    expect(tags(r.text, 'ETag')[0]).toMatch(/^[0-9a-f]{32}$/)
    expect(tags(r.text, 'Name')).toEqual(['bkt'])
    expect(r.text).not.toContain('<NextMarker>')
  })

  it('prefix + delimiter roll keys up into CommonPrefixes', async () => {
    const r = await list({ prefix: 'photos/', delimiter: '/' })
    expect(tags(r.text, 'Key')).toEqual(['photos/a.jpg', 'photos/b.jpg'])
    expect(tags(r.text, 'CommonPrefixes')).toEqual(['<Prefix>photos/2023/</Prefix>', '<Prefix>photos/2024/</Prefix>'])
    expect(tags(r.text, 'Delimiter')).toEqual(['/'])
  })

  it('max-keys pages with IsTruncated and NextMarker = last key or common prefix returned', async () => {
    const p1 = await list({ prefix: 'photos/', delimiter: '/', 'max-keys': '2' })
    expect(tags(p1.text, 'IsTruncated')).toEqual(['true'])
    expect(tags(p1.text, 'NextMarker')).toEqual(['photos/2024/'])
    const p2 = await list({ prefix: 'photos/', delimiter: '/', 'max-keys': '2', marker: 'photos/2024/' })
    expect(tags(p2.text, 'Key')).toEqual(['photos/a.jpg', 'photos/b.jpg'])
    expect(tags(p2.text, 'CommonPrefixes')).toEqual([])
    expect(tags(p2.text, 'IsTruncated')).toEqual(['false'])
    const k1 = await list({ 'max-keys': '3' })
    expect(tags(k1.text, 'Key')).toEqual(['0001', 'a.txt', 'photos/2023/x.jpg'])
    expect(tags(k1.text, 'NextMarker')).toEqual(['photos/2023/x.jpg'])
    const k2 = await list({ 'max-keys': '3', marker: 'photos/2023/x.jpg' })
    expect(tags(k2.text, 'Key')).toEqual(['photos/2024/a.jpg', 'photos/2024/b.jpg', 'photos/a.jpg'])
    expect(tags(k2.text, 'Marker')).toEqual(['photos/2023/x.jpg'])
  })

  it('max-keys outside 0-1000 -> 400 InvalidArgument; 0 returns nothing', async () => {
    for (const v of ['1001', '-1', 'x']) {
      const r = await list({ 'max-keys': v })
      expect(r.status).toBe(400)
      expect(errorCode(r)).toBe('InvalidArgument')
    }
    const zero = await list({ 'max-keys': '0' })
    expect(tags(zero.text, 'Key')).toEqual([])
    expect(tags(zero.text, 'MaxKeys')).toEqual(['0'])
  })

  it('NoSuchBucket for a missing bucket', async () => {
    expect(errorCode(await c.send({ bucket: 'missing-bucket' }))).toBe('NoSuchBucket')
  })
})
