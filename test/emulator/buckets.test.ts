/** Service and bucket operations (docs/protocol.md#buckets). */
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator/index.js'
import { AK, Client, SK, buildStringToSign, errorCode, hmac, setup, tags } from './helpers.js'

let emu: Emulator
let c: Client
let other: Client

beforeAll(async () => {
  ;({ emu, c } = await setup({
    credentials: [
      { accessKeyId: AK, accessKeySecret: SK, displayName: 'alice' },
      { accessKeyId: 'bob-ak', accessKeySecret: 'bob-sk', ownerId: 'bob' },
    ],
  }))
  other = new Client(emu)
})
afterAll(() => emu.close())

const bob = { ak: 'bob-ak', sk: 'bob-sk' }

describe('buckets', () => {
  it('lists the caller\'s buckets (GET / on the service)', async () => {
    const r = await c.send({})
    expect(r.status).toBe(200)
    expect(tags(r.text, 'Name')).toEqual(['bkt'])
    expect(tags(r.text, 'DisplayName')).toEqual(['alice'])
    expect(tags(r.text, 'ID')[0]).toMatch(/^[0-9a-f]{32}$/)
    expect(tags(r.text, 'CreationDate')[0]).toMatch(/ \+0800$/)
    expect(tags((await other.send({ ...bob })).text, 'Name')).toEqual([])
  })

  it('creates with x-nos-acl and LocationConstraint; HEAD, ?location and ?acl answer', async () => {
    const cfg = '<CreateBucketConfiguration xmlns="http://nos.netease.com//"><LocationConstraint>BJ</LocationConstraint></CreateBucketConfiguration>'
    const r = await c.send({ method: 'PUT', bucket: 'new-bucket', headers: { 'x-nos-acl': 'public-read' }, body: cfg })
    expect(r.status).toBe(200)
    expect((await c.send({ method: 'HEAD', bucket: 'new-bucket' })).status).toBe(200)
    expect(tags((await c.send({ bucket: 'new-bucket', query: { location: null } })).text, 'LocationConstraint')).toEqual(['BJ'])
    const acl = await c.send({ bucket: 'new-bucket', query: { acl: null } })
    expect(acl.status).toBe(200)
    expect(acl.headers['x-nos-acl']).toBe('public-read')
    // Default location HZ, default ACL private.
    await c.send({ method: 'PUT', bucket: 'plain-bucket' })
    expect(tags((await c.send({ bucket: 'plain-bucket', query: { location: null } })).text, 'LocationConstraint')).toEqual(['HZ'])
    expect((await c.send({ bucket: 'plain-bucket', query: { acl: null } })).headers['x-nos-acl']).toBe('private')
  })

  it('unknown zone -> 404 NoSuchZone; invalid names -> 400 InvalidBucketName', async () => {
    const zone = await c.send({ method: 'PUT', bucket: 'zone-bucket', body: '<CreateBucketConfiguration><LocationConstraint>XX</LocationConstraint></CreateBucketConfiguration>' })
    expect(zone.status).toBe(404)
    expect(errorCode(zone)).toBe('NoSuchZone')
    for (const name of ['ab', 'a--b', '-ab', 'ab-', 'a'.repeat(64)]) {
      const r = await c.send({ method: 'PUT', bucket: name })
      expect(r.status, name).toBe(400)
      expect(errorCode(r)).toBe('InvalidBucketName')
    }
    expect(errorCode(await c.send({ method: 'PUT', bucket: 'Upper', rawPath: '/Upper' }))).toBe('InvalidBucketName')
    expect(errorCode(await c.send({ method: 'PUT', bucket: 'acl-bucket', headers: { 'x-nos-acl': 'public-read-write' } }))).toBe('InvalidArgument')
  })

  it('existing bucket -> 409 BucketAlreadyOwnedByYou (same owner) or BucketAlreadyExist (another)', async () => {
    const mine = await c.send({ method: 'PUT', bucket: 'bkt' })
    expect(mine.status).toBe(409)
    expect(errorCode(mine)).toBe('BucketAlreadyOwnedByYou')
    const theirs = await other.send({ method: 'PUT', bucket: 'bkt', ...bob })
    expect(theirs.status).toBe(409)
    expect(errorCode(theirs)).toBe('BucketAlreadyExist')
  })

  it('delete: 409 BucketNotEmpty with objects, 200 when empty, then 404 NoSuchBucket', async () => {
    await c.send({ method: 'PUT', bucket: 'del-bucket' })
    await c.put('del-bucket', 'x', 'x')
    const busy = await c.send({ method: 'DELETE', bucket: 'del-bucket' })
    expect(busy.status).toBe(409)
    expect(errorCode(busy)).toBe('BucketNotEmpty')
    await c.send({ method: 'DELETE', bucket: 'del-bucket', key: 'x' })
    expect((await c.send({ method: 'DELETE', bucket: 'del-bucket' })).status).toBe(200)
    expect((await c.send({ method: 'HEAD', bucket: 'del-bucket' })).status).toBe(404)
    expect(errorCode(await c.send({ method: 'DELETE', bucket: 'del-bucket' }))).toBe('NoSuchBucket')
  })

  it('another account cannot delete, re-ACL or HEAD a private bucket (403)', async () => {
    expect((await other.send({ method: 'HEAD', bucket: 'bkt', ...bob })).status).toBe(403)
    expect(errorCode(await other.send({ method: 'DELETE', bucket: 'bkt', ...bob }))).toBe('AccessDenied')
  })

  it('PUT ?acl changes the ACL; without Content-Length -> 411 MissingContentLength', async () => {
    await c.send({ method: 'PUT', bucket: 'acl-test' })
    const r = await c.send({ method: 'PUT', bucket: 'acl-test', query: { acl: null }, headers: { 'x-nos-acl': 'public-read' }, body: '' })
    expect(r.status).toBe(200)
    expect((await c.send({ bucket: 'acl-test', query: { acl: null } })).headers['x-nos-acl']).toBe('public-read')
    await c.put('acl-test', 'o', 'open')
    expect((await c.send({ bucket: 'acl-test', key: 'o', auth: false })).text).toBe('open')

    const date = new Date().toUTCString()
    const headers = { Date: date, 'x-nos-acl': 'private' }
    const auth = `NOS ${AK}:${hmac(SK, buildStringToSign('PUT', headers, '/acl-test/?acl'))}`
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      // node:http would add Content-Length for an empty end(); send chunked-free, length-free by hand.
      const req = request({ host: '127.0.0.1', port: emu.port, method: 'PUT', path: '/acl-test/?acl', headers: { ...headers, Authorization: auth } }, (res) => {
        let body = ''
        res.on('data', (d: Buffer) => (body += d))
        res.on('end', () => resolve({ status: res.statusCode!, body }))
      })
      req.on('error', reject)
      req.removeHeader('content-length')
      req.end()
    })
    expect(status.status).toBe(411)
    expect(status.body).toContain('<Code>MissingContentLength</Code>')
  })
})
