import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setup, randomBytes, AK, SK } from './setup.js'
import { ClientException, NosClient, createPolicySigner, isNosErrorKind } from '../../src/index.js'
import { NosClient as NodeNosClient } from '../../src/node.js'
import { send } from '../../src/core/transport.js'
import { prepareBody } from '../../src/core/body.js'

let emu: Awaited<ReturnType<typeof setup>>['emu']
let client: NosClient
beforeAll(async () => ({ emu, client } = await setup({}, { maxRetries: 0 })))
afterAll(() => emu.close())
beforeEach(() => emu.setFaults())

describe('every exception class of the seed, from real emulator responses', () => {
  it('BadRequestError (400 InvalidPartOrder / EntityTooSmall)', async () => {
    const { uploadId } = await client.createMultipartUpload({ bucket: 'bkt', key: 'mp' })
    const a = await client.uploadPart({ bucket: 'bkt', key: 'mp', uploadId, partNum: 1, body: 'small' })
    const b = await client.uploadPart({ bucket: 'bkt', key: 'mp', uploadId, partNum: 2, body: 'small' })
    const err = await client.completeMultipartUpload({ bucket: 'bkt', key: 'mp', uploadId, parts: [{ partNum: 1, etag: a.etag }, { partNum: 2, etag: b.etag }] }).catch((e) => e)
    expect(err).toMatchObject({ name: 'BadRequestError', statusCode: 400, errorCode: 'EntityTooSmall', errorType: 'Bad Request' })
    expect(err.requestId).toMatch(/^[0-9a-f]{32}$/)
    const bad = await client.completeMultipartUpload({ bucket: 'bkt', key: 'mp', uploadId, parts: [{ partNum: 1, etag: 'ffffffffffffffffffffffffffffffff' }] }).catch((e) => e)
    expect(bad).toMatchObject({ name: 'BadRequestError', errorCode: 'InvalidPart' })
  })

  it('ForbiddenError (403 SignatureDoesNotMatch, with both strings-to-sign)', async () => {
    const wrong = new NosClient({ accessKeyId: AK, accessKeySecret: 'wrong-secret', endpoint: emu.endpoint, maxRetries: 0 })
    const err = await wrong.getObject({ bucket: 'bkt', key: 'a b' }).catch((e) => e)
    expect(err).toMatchObject({ name: 'ForbiddenError', statusCode: 403, errorCode: 'SignatureDoesNotMatch' })
    expect(err.message).toContain('the SDK signed: "GET')
    expect(err.message).toContain('/bkt/a%20b')
    expect(err.message).not.toContain('wrong-secret')
  })

  it('ForbiddenError (403 InvalidAccessKeyId, RequestTimeTooSkewed)', async () => {
    const unknown = new NosClient({ accessKeyId: 'nobody', accessKeySecret: 'x', endpoint: emu.endpoint, maxRetries: 0 })
    await expect(unknown.listObjects({ bucket: 'bkt' })).rejects.toMatchObject({ name: 'ForbiddenError', errorCode: 'InvalidAccessKeyId' })
    const skewed = new NosClient({ accessKeyId: AK, accessKeySecret: 'testSecretKey0123456789abcdef', endpoint: emu.endpoint, now: () => Date.now() - 3600_000, maxRetries: 0 })
    await expect(skewed.listObjects({ bucket: 'bkt' })).rejects.toMatchObject({ name: 'ForbiddenError', errorCode: 'RequestTimeTooSkewed' })
  })

  it('NotFoundError (404 NoSuchKey, NoSuchBucket, NoSuchUpload)', async () => {
    await expect(client.deleteObject({ bucket: 'bkt', key: 'never' })).rejects.toMatchObject({ name: 'NotFoundError', errorCode: 'NoSuchKey' })
    await expect(client.listObjects({ bucket: 'nope-bucket' })).rejects.toMatchObject({ name: 'NotFoundError', errorCode: 'NoSuchBucket' })
    await expect(client.uploadPart({ bucket: 'bkt', key: 'k', uploadId: '123', partNum: 1, body: 'x' })).rejects.toMatchObject({ name: 'NotFoundError', errorCode: 'NoSuchUpload' })
  })

  it('MethodNotAllowedError (405)', async () => {
    const err = await send(client.config, { method: 'POST', bucket: 'bkt', key: 'k', body: prepareBody('') }).catch((e) => e)
    expect(err).toMatchObject({ name: 'MethodNotAllowedError', statusCode: 405, errorCode: 'MethodNotAllowed' })
  })

  it('ConflictError (409 BucketNotEmpty)', async () => {
    await client.putObject({ bucket: 'other', key: 'k', body: 'x' })
    await expect(client.deleteBucket({ bucket: 'other' })).rejects.toMatchObject({ name: 'ConflictError', errorCode: 'BucketNotEmpty' })
  })

  it('LengthRequiredError (411 MissingContentLength)', async () => {
    const stream = new ReadableStream<Uint8Array>({ start: (c) => { c.enqueue(new Uint8Array([1])); c.close() } })
    const body = prepareBody(stream) // a stream of unknown length travels chunked: no Content-Length
    const err = await send(client.config, { method: 'PUT', bucket: 'bkt', query: { acl: null }, headers: { 'x-nos-acl': 'private' }, body }).catch((e) => e)
    expect(err).toMatchObject({ name: 'LengthRequiredError', statusCode: 411, errorCode: 'MissingContentLength' })
  })

  it('RequestedRangeNotSatisfiableError (416 InvalidRange)', async () => {
    await client.putObject({ bucket: 'bkt', key: 'short', body: '123' })
    await expect(client.getObject({ bucket: 'bkt', key: 'short', range: { start: 10, end: 20 } })).rejects.toMatchObject({
      name: 'RequestedRangeNotSatisfiableError', statusCode: 416, errorCode: 'InvalidRange',
    })
  })

  it('InternalServerErrorError (500), NotImplementedError (501), ServiceUnavailableError (503) via fault injection', async () => {
    for (const [action, name, status] of [['error500', 'InternalServerErrorError', 500], ['error501', 'NotImplementedError', 501], ['error503', 'ServiceUnavailableError', 503], ['slowDown', 'ServiceUnavailableError', 503]] as const) {
      emu.setFaults({ rules: [{ match: { op: 'headObject' }, action }] })
      const err = await client.headObject({ bucket: 'bkt', key: 'short' }).catch((e) => e)
      expect(err).toMatchObject({ name, statusCode: status })
      expect(isNosErrorKind(err, 'ServiceException')).toBe(true)
    }
  })

  it('MultiObjectDeleteException (missing keys)', async () => {
    const err = await client.deleteObjects({ bucket: 'bkt', keys: ['gone-1'] }).catch((e) => e)
    expect(err.name).toBe('MultiObjectDeleteException')
    expect(err.errors[0]).toMatchObject({ key: 'gone-1', code: 'NoSuchKey' })
  })

  it('XmlParseError when a success body is not the XML expected', async () => {
    // a presigned-looking GET of an object, parsed as a listing: use send + the list parser on a non-XML object body
    await client.putObject({ bucket: 'bkt', key: 'not-xml', body: 'plain text' })
    const { parseListObjects } = await import('../../src/operations/listing.js')
    await (await import('../../src/core/xml.js')).loadXmlParser()
    const res = await send(client.config, { method: 'GET', bucket: 'bkt', key: 'not-xml' })
    const text = await res.text()
    expect(() => parseListObjects(text, '', 'bkt')).toThrow(expect.objectContaining({ name: 'XmlParseError' }))
  })

  it('ConnectionError and ConnectionTimeout from a real socket', async () => {
    emu.setFaults({ rules: [{ match: { op: 'putObject' }, action: 'reset', resetAfterBytes: 10 }] })
    await expect(client.putObject({ bucket: 'bkt', key: 'r', body: randomBytes(100_000) })).rejects.toMatchObject({ name: 'ConnectionError' })
    // Held for ten minutes (the emulator stops waiting when the client hangs up): only the 100 ms timeout can end it.
    emu.setFaults({ rules: [{ match: { op: 'headObject' }, action: 'delay', delayMs: 600_000 }] })
    const slow = new NosClient({ ...{ accessKeyId: AK, accessKeySecret: 'testSecretKey0123456789abcdef' }, endpoint: emu.endpoint, timeout: 100, maxRetries: 0 })
    await expect(slow.headObject({ bucket: 'bkt', key: 'short' })).rejects.toMatchObject({ name: 'ConnectionTimeout' })
  })
})

describe('bad input is refused before any request', () => {
  const big = 'x'.repeat(1001)
  type Case = [string, (c: NosClient) => unknown, string, RegExp]
  const cases: Case[] = [
    ['missing bucket', (c) => c.putObject({ key: 'k', body: '' } as never), 'InvalidBucketName', /bucket is required/],
    ['empty bucket', (c) => c.getObject({ bucket: '', key: 'k' }), 'InvalidBucketName', /bucket is required/],
    ['bucket too short', (c) => c.headObject({ bucket: 'ab', key: 'k' }), 'InvalidBucketName', /bucket "ab" is not a valid NOS bucket name: use 3-63 characters/],
    ['bucket too long', (c) => c.headObject({ bucket: 'a'.repeat(64), key: 'k' }), 'InvalidBucketName', /bucket "a+" is not a valid NOS bucket name/],
    ['bucket upper case', (c) => c.headObject({ bucket: 'MyBucket', key: 'k' }), 'InvalidBucketName', /bucket "MyBucket" is not a valid NOS bucket name: use 3-63 characters a-z/],
    ['bucket with dot', (c) => c.headObject({ bucket: 'my.bucket', key: 'k' }), 'InvalidBucketName', /bucket "my.bucket" is not a valid NOS bucket name/],
    ['bucket with underscore', (c) => c.listObjects({ bucket: 'my_bucket' }), 'InvalidBucketName', /bucket "my_bucket" is not a valid/],
    ['bucket leading dash', (c) => c.listObjects({ bucket: '-bucket' }), 'InvalidBucketName', /bucket "-bucket" .*starting and ending/],
    ['bucket trailing dash', (c) => c.createBucket({ bucket: 'bucket-' }), 'InvalidBucketName', /bucket "bucket-" .*starting and ending/],
    ['bucket double dash', (c) => c.deleteBucket({ bucket: 'a--b' }), 'InvalidBucketName', /bucket "a--b" .*without '--'/],
    ['bucket not a string', (c) => c.listObjects({ bucket: 42 as never }), 'InvalidBucketName', /bucket is required: .*got number/],
    ['missing key', (c) => c.getObject({ bucket: 'bkt' } as never), 'InvalidObjectName', /key is required/],
    ['empty key', (c) => c.putObject({ bucket: 'bkt', key: '', body: '' }), 'InvalidObjectName', /key is required: a non-empty string/],
    ['key of 1001 bytes', (c) => c.putObject({ bucket: 'bkt', key: big, body: '' }), 'InvalidObjectName', /key is 1001 UTF-8 bytes long; NOS allows at most 1000/],
    ['CJK key over 1000 bytes', (c) => c.headObject({ bucket: 'bkt', key: '中'.repeat(334) }), 'InvalidObjectName', /key is 1002 UTF-8 bytes/],
    ['key with a lone surrogate', (c) => c.headObject({ bucket: 'bkt', key: 'a\uD800b' }), 'InvalidObjectName', /key ".*" contains a lone surrogate/],
    ['srcKey empty', (c) => c.copyObject({ srcBucket: 'bkt', srcKey: '', destBucket: 'bkt', destKey: 'd' }), 'InvalidObjectName', /srcKey is required/],
    ['destBucket invalid', (c) => c.copyObject({ srcBucket: 'bkt', srcKey: 's', destBucket: 'X', destKey: 'd' }), 'InvalidBucketName', /destBucket "X" is not a valid NOS bucket name/],
    ['move across buckets', (c) => c.moveObject({ srcBucket: 'bkt', srcKey: 's', destBucket: 'other', destKey: 'd' }), 'InvalidArgument', /within one bucket only .*srcBucket bkt differs from destBucket other/],
    ['partNum 0', (c) => c.uploadPart({ bucket: 'bkt', key: 'k', uploadId: '1', partNum: 0, body: '' }), 'InvalidArgument', /partNum must be an integer from 1 to 10000, got 0/],
    ['partNum 10001', (c) => c.uploadPart({ bucket: 'bkt', key: 'k', uploadId: '1', partNum: 10001, body: '' }), 'InvalidArgument', /partNum must be an integer from 1 to 10000, got 10001/],
    ['partNum 1.5', (c) => c.uploadPart({ bucket: 'bkt', key: 'k', uploadId: '1', partNum: 1.5, body: '' }), 'InvalidArgument', /partNum must be an integer from 1 to 10000, got 1.5/],
    ['missing uploadId', (c) => c.uploadPart({ bucket: 'bkt', key: 'k', partNum: 1, body: '' } as never), 'InvalidArgument', /uploadId is required/],
    ['empty parts', (c) => c.completeMultipartUpload({ bucket: 'bkt', key: 'k', uploadId: '1', parts: [] }), 'InvalidArgument', /parts must be a non-empty array/],
    ['duplicate parts', (c) => c.completeMultipartUpload({ bucket: 'bkt', key: 'k', uploadId: '1', parts: [{ partNum: 1, etag: 'a' }, { partNum: 1, etag: 'b' }] }), 'InvalidArgument', /parts\[1\]\.partNum 1 appears twice/],
    ['bad objectMd5', (c) => c.completeMultipartUpload({ bucket: 'bkt', key: 'k', uploadId: '1', parts: [{ partNum: 1, etag: 'a' }], objectMd5: 'zz' }), 'InvalidArgument', /objectMd5 must be 32 hex/],
    ['limit -1', (c) => c.listObjects({ bucket: 'bkt', limit: -1 }), 'InvalidArgument', /limit must be an integer from 0 to 1000, got -1/],
    ['limit 1001', (c) => c.listObjects({ bucket: 'bkt', limit: 1001 }), 'InvalidArgument', /from 0 to 1000, got 1001/],
    ['listParts limit 5000', (c) => c.listParts({ bucket: 'bkt', key: 'k', uploadId: '1', limit: 5000 }), 'InvalidArgument', /limit must be an integer from 0 to 1000, got 5000/],
    ['listMultipartUploads limit NaN', (c) => c.listMultipartUploads({ bucket: 'bkt', limit: NaN }), 'InvalidArgument', /limit must be an integer from 0 to 1000, got NaN/],
    ['prefix not a string', (c) => c.listObjects({ bucket: 'bkt', prefix: 5 as never }), 'InvalidArgument', /prefix must be a string/],
    ['metadata name with space', (c) => c.putObject({ bucket: 'bkt', key: 'k', body: '', metadata: { 'my name': 'v' } }), 'InvalidArgument', /metadata name "my name" cannot be a header name/],
    ['metadata non-ASCII value', (c) => c.putObject({ bucket: 'bkt', key: 'k', body: '', metadata: { name: '张三' } }), 'InvalidArgument', /metadata\["name"\] "张三" cannot travel in an HTTP header: only printable ASCII/],
    ['metadata value with newline', (c) => c.putObject({ bucket: 'bkt', key: 'k', body: '', metadata: { name: 'a\nb' } }), 'InvalidArgument', /metadata\["name"\] .* cannot travel in an HTTP header/],
    ['metadata value not a string', (c) => c.putObject({ bucket: 'bkt', key: 'k', body: '', metadata: { n: 1 as never } }), 'InvalidArgument', /metadata\["n"\] must be a string/],
    ['metadata an array', (c) => c.putObject({ bucket: 'bkt', key: 'k', body: '', metadata: [] as never }), 'InvalidArgument', /metadata must be an object/],
    ['empty metadata name', (c) => c.createMultipartUpload({ bucket: 'bkt', key: 'k', metadata: { 'x-nos-meta-': 'v' } }), 'InvalidArgument', /metadata name "x-nos-meta-" cannot be a header name/],
    ['contentType with CR', (c) => c.putObject({ bucket: 'bkt', key: 'k', body: '', contentType: 'text/plain\r\nX: y' }), 'InvalidArgument', /contentType ".*" cannot travel in an HTTP header/],
    ['number body', (c) => c.putObject({ bucket: 'bkt', key: 'k', body: 42 as never }), 'FileOpenModeError', /body of type number is not supported/],
    ['function body', (c) => c.putObject({ bucket: 'bkt', key: 'k', body: (() => 1) as never }), 'FileOpenModeError', /body of type function is not supported/],
    ['Map body', (c) => c.putObject({ bucket: 'bkt', key: 'k', body: new Map() as never }), 'FileOpenModeError', /body .*Map is not supported/],
    ['cyclic object body', (c) => { const o: Record<string, unknown> = {}; o.self = o; return c.putObject({ bucket: 'bkt', key: 'k', body: o }) }, 'SerializationError', /body could not be serialised to JSON/],
    ['BigInt in body', (c) => c.putObject({ bucket: 'bkt', key: 'k', body: { n: 1n } as never }), 'SerializationError', /body could not be serialised to JSON.*BigInt/],
    ['body over 100 MiB', (c) => c.putObject({ bucket: 'bkt', key: 'k', body: new Blob([new Uint8Array(100 * 1024 * 1024 + 1)]) }), 'InvalidArgument', /body is 104857601 bytes; NOS accepts at most 104857600.*upload\(\)/],
    ['negative contentLength', (c) => c.putObject({ bucket: 'bkt', key: 'k', body: '', contentLength: -1 }), 'InvalidArgument', /contentLength must be a non-negative integer number of bytes, got -1/],
    ['range garbage', (c) => c.getObject({ bucket: 'bkt', key: 'k', range: 'first 10' }), 'InvalidArgument', /range "first 10" is not a byte range/],
    ['range end < start', (c) => c.getObject({ bucket: 'bkt', key: 'k', range: { start: 5, end: 2 } }), 'InvalidArgument', /range\.end must be an integer >= range\.start/],
    ['range negative start', (c) => c.getObject({ bucket: 'bkt', key: 'k', range: { start: -1 } }), 'InvalidArgument', /range\.start must be a non-negative integer, got -1/],
    ['presign expires 0', (c) => c.presignUrl({ bucket: 'bkt', key: 'k', expires: 0 }), 'InvalidArgument', /expires must be a whole number of seconds from now, 1 to 604800 \(7 days\), got 0/],
    ['presign expires negative', (c) => c.presignUrl({ bucket: 'bkt', key: 'k', expires: -5 }), 'InvalidArgument', /expires must be a whole number .*got -5/],
    ['presign bad method', (c) => c.presignUrl({ bucket: 'bkt', key: 'k', method: 'PATCH' as never }), 'InvalidArgument', /method must be GET, PUT, HEAD, DELETE or POST, got PATCH/],
    ['deleteObjects no keys', (c) => c.deleteObjects({ bucket: 'bkt', keys: [] }), 'InvalidArgument', /keys must be a non-empty array of object keys/],
    ['deleteObjects empty key', (c) => c.deleteObjects({ bucket: 'bkt', keys: ['a', ''] }), 'InvalidObjectName', /keys\[1\] is required/],
    ['bad acl', (c) => c.putBucketAcl({ bucket: 'bkt', acl: 'public-read-write' as never }), 'InvalidArgument', /acl must be 'private' or 'public-read'/],
    ['bad location', (c) => c.createBucket({ bucket: 'newb', location: 'mars' }), 'InvalidArgument', /location must be a NOS location such as .*got "mars"/],
    ['CORS no rules', (c) => c.putBucketCors({ bucket: 'bkt', rules: [] }), 'InvalidArgument', /rules must be an array of 1-10 CORS rules/],
    ['CORS bad method', (c) => c.putBucketCors({ bucket: 'bkt', rules: [{ allowedOrigins: ['*'], allowedMethods: ['PATCH' as never] }] }), 'InvalidArgument', /allowedMethods/],
    ['params not an object', (c) => c.headObject(null as never), 'InvalidArgument', /headObject takes one object argument/],
    ['upload partSize too small', (c) => c.upload({ bucket: 'bkt', key: 'k', body: 'x', partSize: 1000 }), 'InvalidArgument', /partSize must be an integer from 16384/],
    ['upload concurrency 0', (c) => c.upload({ bucket: 'bkt', key: 'k', body: 'x', concurrency: 0 }), 'InvalidArgument', /concurrency must be an integer from 1 to 64, got 0/],
    ['upload too many parts', (c) => c.upload({ bucket: 'bkt', key: 'k', body: new Blob([new Uint8Array(16384 * 10001)]), partSize: 16384 }), 'InvalidArgument', /partSize 16384 would need 10001 parts/],
    ['upload objectMd5 not hex', (c) => c.upload({ bucket: 'bkt', key: 'k', body: new Uint8Array(20 * 1024 * 1024), objectMd5: 'xyz' }), 'InvalidArgument', /objectMd5 must be true, false or 32 hex/],
    ['cleanup olderThan bad', (c) => c.cleanupUploads({ bucket: 'bkt', olderThan: 'yesterday' as never }), 'InvalidArgument', /olderThan must be a Date or a non-negative number/],
    // Inputs that were once sent unchecked or failed with an untyped TypeError / URIError.
    ['signal not an AbortSignal', (c) => c.getObject({ bucket: 'bkt', key: 'k', signal: 'yes' as never }), 'InvalidArgument', /signal must be an AbortSignal .*got "yes"/],
    ['listBuckets signal not an AbortSignal', (c) => c.listBuckets({ signal: {} as never }), 'InvalidArgument', /signal must be an AbortSignal .*got object/],
    ['upload signal not an AbortSignal', (c) => c.upload({ bucket: 'bkt', key: 'k', body: 'x', signal: 'yes' as never }), 'InvalidArgument', /signal must be an AbortSignal/],
    ['onProgress not a function', (c) => c.upload({ bucket: 'bkt', key: 'k', body: 'x', onProgress: 'x' as never }), 'InvalidArgument', /onProgress must be a function, got "x"/],
    ['uploadFile on a directory', () => nodeClient().uploadFile({ bucket: 'bkt', key: 'k', path: tmpdir() }), 'FileOpenModeError', /path ".*" is not a regular file but a directory/],
    ['uploadFile on a missing file', () => nodeClient().uploadFile({ bucket: 'bkt', key: 'k', path: join(tmpdir(), 'nos-sdk-no-such-file') }), 'FileOpenModeError', /path ".*nos-sdk-no-such-file" cannot be read: ENOENT/],
    ['multipartThreshold -1', (c) => c.upload({ bucket: 'bkt', key: 'k', body: 'x', multipartThreshold: -1 }), 'InvalidArgument', /multipartThreshold must be a non-negative integer number of bytes, got -1/],
    ['multipartThreshold NaN', (c) => c.upload({ bucket: 'bkt', key: 'k', body: 'x', multipartThreshold: NaN }), 'InvalidArgument', /multipartThreshold must be .*got NaN/],
    ['upload contentLength -5', (c) => c.upload({ bucket: 'bkt', key: 'k', body: new ReadableStream(), contentLength: -5 }), 'InvalidArgument', /contentLength must be a non-negative integer number of bytes, got -5/],
    ['upload contentLength NaN', (c) => c.upload({ bucket: 'bkt', key: 'k', body: new ReadableStream(), contentLength: NaN }), 'InvalidArgument', /contentLength must be .*got NaN/],
    ['putObject contentLength NaN', (c) => c.putObject({ bucket: 'bkt', key: 'k', body: new ReadableStream(), contentLength: NaN }), 'InvalidArgument', /contentLength must be .*got NaN/],
    ['keepPartsOnError not a boolean', (c) => c.upload({ bucket: 'bkt', key: 'k', body: 'x', keepPartsOnError: 'no' as never }), 'InvalidArgument', /keepPartsOnError must be true or false, got "no"/],
    ['putObject contentMd5 not a boolean', (c) => c.putObject({ bucket: 'bkt', key: 'k', body: 'x', contentMd5: 'no' as never }), 'InvalidArgument', /contentMd5 must be true or false, got "no"/],
    ['deleteObjects quiet not a boolean', (c) => c.deleteObjects({ bucket: 'bkt', keys: ['a'], quiet: 'no' as never }), 'InvalidArgument', /quiet must be true or false, got "no"/],
    ['range bytes=5-1', (c) => c.getObject({ bucket: 'bkt', key: 'k', range: 'bytes=5-1' }), 'InvalidArgument', /range "bytes=5-1" ends before it starts/],
    ['key "."', (c) => c.getObject({ bucket: 'bkt', key: '.' }), 'InvalidObjectName', /key "\." cannot be addressed: URLs drop the path segments/],
    ['key ".."', (c) => c.putObject({ bucket: 'bkt', key: '..', body: 'x' }), 'InvalidObjectName', /key "\.\." cannot be addressed/],
    ['srcKey ".."', (c) => c.copyObject({ srcBucket: 'bkt', srcKey: '..', destBucket: 'bkt', destKey: 'd' }), 'InvalidObjectName', /srcKey "\.\." cannot be addressed/],
    ['option contentMd5 not a boolean', () => new NosClient({ contentMd5: 'no' as never }), 'InvalidArgument', /option contentMd5 must be true or false, got "no"/],
    ['option useNosDate not a boolean', () => new NosClient({ useNosDate: 'yes' as never }), 'InvalidArgument', /option useNosDate must be true or false, got "yes"/],
    ['option pathStyle not a boolean', () => new NosClient({ pathStyle: 'false' as never }), 'InvalidArgument', /option pathStyle must be true or false, got "false"/],
    ['option enableSsl not a boolean', () => new NosClient({ enableSsl: 1 as never }), 'InvalidArgument', /option enableSsl must be true or false, got number/],
    ['endpoint with a path', () => new NosClient({ endpoint: 'http://127.0.0.1:9000/bkt' }), 'InvalidArgument', /option endpoint is not a valid host or URL: 127\.0\.0\.1:9000: a path, query or fragment is not supported/],
    ['endpoint with user:password@', () => new NosClient({ endpoint: 'http://me:s3cret@127.0.0.1:9000' }), 'InvalidArgument', /^(?!.*s3cret)option endpoint .*user:password@ is not supported/],
    ['presign expires 1e21', (c) => c.presignUrl({ bucket: 'bkt', key: 'k', expires: 1e21 }), 'InvalidArgument', /expires must be a whole number of seconds from now, 1 to 604800 \(7 days\), got 1e\+21/],
    ['presign expires 1.5', (c) => c.presignUrl({ bucket: 'bkt', key: 'k', expires: 1.5 }), 'InvalidArgument', /expires must be a whole number .*got 1\.5/],
    ['presign expires over 7 days', (c) => c.presignUrl({ bucket: 'bkt', key: 'k', expires: 604801 }), 'InvalidArgument', /expires must be a whole number .*got 604801/],
    ['createPolicySigner malformed % in x-nos-copy-source', () => createPolicySigner(SK, { buckets: ['bkt'] })(`PUT\n\n\n${new Date().toUTCString()}\nx-nos-copy-source:/bkt/a%E0%A4%A\n/bkt/d`), 'SigningPolicyError', /the key in x-nos-copy-source is not valid percent-encoding/],
  ]
  const nodeClient = () => new NodeNosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint, maxRetries: 0 })

  it('has exactly 91 cases, each named once', () => {
    expect(cases).toHaveLength(91)
    expect(new Set(cases.map(([name]) => name)).size).toBe(cases.length)
  })

  for (const [name, call, cls, msg] of cases) {
    it(name, async () => {
      emu.clearRequestLog()
      let err: unknown
      try {
        await call(client)
      } catch (e) {
        err = e
      }
      expect(err, 'should throw').toBeInstanceOf(ClientException)
      expect((err as Error).name).toBe(cls)
      expect(isNosErrorKind(err, 'ClientException')).toBe(true)
      expect((err as Error).message).toMatch(msg)
      expect(emu.requests).toHaveLength(0)
    })
  }

  it('bad client options name the option', () => {
    expect(() => new NosClient({ maxRetries: -1 })).toThrow(/option maxRetries must be a non-negative integer/)
    expect(() => new NosClient({ accessKeyId: 'a' })).toThrow(/option accessKeySecret \(or sign\) is required/)
    expect(() => new NosClient({ accessKeySecret: 's' })).toThrow(/option accessKeyId is required/)
    expect(() => new NosClient({ endpoint: 'ftp://x' })).toThrow(/option endpoint/)
    expect(() => new NosClient({ timeout: 1.5 })).toThrow(/option timeout/)
    expect(() => new NosClient({ fetch: 'no' as never })).toThrow(/option fetch must be a function/)
  })
})
