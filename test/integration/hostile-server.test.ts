/**
 * what a hostile or broken server can do to a client. Bodies are capped and read within the
 * timeout; missing required fields are XmlParseError, not ''.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { NosClient, isNosErrorKind } from '../../src/index.js'
import { MAX_ERROR_BODY_BYTES, MAX_XML_BODY_BYTES, readXmlBody } from '../../src/core/response-body.js'
import { send } from '../../src/core/transport.js'
import { hostileServer } from '../helpers/hostile-server.js'
import { scriptedServer } from '../helpers/scripted-server.js'

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

const clientFor = (endpoint: string, timeout = 0) =>
  new NosClient({ accessKeyId: 'AK', accessKeySecret: 'SK', endpoint, maxRetries: 0, timeout })

async function serve(answer: Parameters<typeof hostileServer>[0]) {
  const s = await hostileServer(answer)
  close = s.close
  return s
}

async function answers(body: string, status = 200) {
  const s = await scriptedServer([{ status, body, headers: { 'content-type': 'application/xml' } }])
  close = s.close
  return clientFor(s.endpoint)
}

describe('bodies are capped', () => {
  it('an endless 403 body is cut after a few KiB (it grew RSS past 350 MiB)', async () => {
    const s = await serve({ status: 403, head: '<Error><Code>AccessDenied</Code><Message>', repeat: 'x' })
    const err = await clientFor(s.endpoint).headBucket({ bucket: 'bkt' }).then(() => null, (e: unknown) => e)
    // HEAD has no body to read; GET does.
    expect(err).toMatchObject({ name: 'ForbiddenError', statusCode: 403 })
    const get = await clientFor(s.endpoint).getBucketLocation({ bucket: 'bkt' }).then(() => null, (e: unknown) => e)
    expect(get).toMatchObject({ name: 'ForbiddenError', statusCode: 403 })
    expect(MAX_ERROR_BODY_BYTES).toBeLessThanOrEqual(16 * 1024)
    // What the server managed to push into socket buffers before the client hung up, not what the client kept.
    expect(s.written()).toBeLessThan(64 * 1024 * 1024)
  })

  it('a cut error document still yields its code', async () => {
    const s = await serve({ status: 403, head: '<?xml version="1.0"?><Error><Code>SignatureDoesNotMatch</Code><Message>', repeat: 'y' })
    await expect(clientFor(s.endpoint).listObjects({ bucket: 'bkt' })).rejects.toMatchObject({ name: 'ForbiddenError', errorCode: 'SignatureDoesNotMatch' })
  })

  it(`an endless listing is an XmlParseError past ${MAX_XML_BODY_BYTES} bytes`, async () => {
    const s = await serve({ status: 200, head: '<ListBucketResult>', repeat: '<Contents><Key>k</Key></Contents>' })
    const err = await clientFor(s.endpoint).listObjects({ bucket: 'bkt' }).then(() => null, (e: unknown) => e)
    expect(isNosErrorKind(err, 'XmlParseError')).toBe(true)
    expect(err).toMatchObject({ errorCode: 'ResponseTooLarge' })
    expect((err as Error).message).toMatch(/longer than 16777216 bytes/)
  })
})

describe('the timeout covers reading a buffered body', () => {
  it('a listing body that stalls ends in ConnectionTimeout (it hung forever)', async () => {
    const s = await serve({ status: 200, head: '<ListBucketResult><Contents>', stall: true })
    await expect(clientFor(s.endpoint, 300).listObjects({ bucket: 'bkt' })).rejects.toMatchObject({ name: 'ConnectionTimeout' })
  })

  it('an error body that stalls still ends, as the error its status says', async () => {
    const s = await serve({ status: 404, head: '<Error><Code>NoSuchKey</Code>', stall: true })
    await expect(clientFor(s.endpoint, 300).deleteObject({ bucket: 'bkt', key: 'k' })).rejects.toMatchObject({ name: 'NotFoundError', statusCode: 404 })
  })

  it("a caller's abort while the body stalls rejects with the AbortError", async () => {
    const s = await serve({ status: 200, head: '<ListBucketResult>', stall: true })
    const ctrl = new AbortController()
    const client = clientFor(s.endpoint)
    const res = await send(client.config, { method: 'GET', bucket: 'bkt', signal: ctrl.signal })
    const reading = readXmlBody(client.config, res, ctrl.signal)
    ctrl.abort()
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' })
  })
})

describe('missing required fields are XmlParseError, not ""', () => {
  const cases: Array<[string, string, (c: NosClient) => Promise<unknown>, RegExp]> = [
    ['<UploadId> on Initiate', '<InitiateMultipartUploadResult><Bucket>bkt</Bucket><Key>k</Key></InitiateMultipartUploadResult>', (c) => c.createMultipartUpload({ bucket: 'bkt', key: 'k' }), /no <UploadId> in <InitiateMultipartUploadResult>/],
    ['empty <UploadId> on Initiate', '<InitiateMultipartUploadResult><UploadId></UploadId></InitiateMultipartUploadResult>', (c) => c.createMultipartUpload({ bucket: 'bkt', key: 'k' }), /empty <UploadId>/],
    ['<ETag> on Complete', '<CompleteMultipartUploadResult><Location>x</Location></CompleteMultipartUploadResult>', (c) => c.completeMultipartUpload({ bucket: 'bkt', key: 'k', uploadId: '1', parts: [{ partNum: 1, etag: 'a' }] }), /no <ETag> in <CompleteMultipartUploadResult>/],
    ['<Key> of a listed object', '<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>', (c) => c.listObjects({ bucket: 'bkt' }), /no <Key> in <Contents>/],
    ['<Prefix> of a common prefix', '<ListBucketResult><CommonPrefixes><X/></CommonPrefixes></ListBucketResult>', (c) => c.listObjects({ bucket: 'bkt' }), /no <Prefix> in <CommonPrefixes>/],
    ['<UploadId> of a listed upload', '<ListMultipartUploadsResult><Upload><Key>k</Key></Upload></ListMultipartUploadsResult>', (c) => c.listMultipartUploads({ bucket: 'bkt' }), /no <UploadId> in <Upload>/],
    ['<ETag> of a listed part', '<ListPartsResult><Part><PartNumber>1</PartNumber></Part></ListPartsResult>', (c) => c.listParts({ bucket: 'bkt', key: 'k', uploadId: '1' }), /no <ETag> in <Part>/],
    ['<Key> of a multi-delete error', '<DeleteResult><Error><Code>AccessDenied</Code></Error></DeleteResult>', (c) => c.deleteObjects({ bucket: 'bkt', keys: ['k'] }), /no <Key> in <Error>/],
    ['<Name> of a bucket', '<ListAllMyBucketsResult><Buckets><Bucket><CreationDate>x</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>', (c) => c.listBuckets(), /no <Name> in <Bucket>/],
  ]
  for (const [name, body, call, message] of cases) {
    it(name, async () => {
      const err = await call(await answers(body)).then(() => null, (e: unknown) => e)
      expect(isNosErrorKind(err, 'XmlParseError'), String(err)).toBe(true)
      expect((err as Error).message).toMatch(message)
    })
  }

  it('a quiet multi-delete answered with an empty <DeleteResult/> (or no body) deletes without error', async () => {
    for (const body of ['<?xml version="1.0"?>\n<DeleteResult/>', '<DeleteResult></DeleteResult>', '']) {
      const r = await (await answers(body)).deleteObjects({ bucket: 'bkt', keys: ['k'], quiet: true })
      expect(r.deleted).toEqual([])
      await close?.()
      close = undefined
    }
  })
})
