/**
 * The contract suite: one set of checks that every runtime runs against the NOS emulator, through whatever
 * build of the SDK that runtime loads (ESM, CJS, the IIFE/UMD global). Plain JavaScript, no test framework,
 * no imports and only web platform APIs (fetch, TextEncoder, crypto.getRandomValues, Blob), so the same file
 * runs in Node, Bun, Deno, workerd, @edge-runtime/vm and a browser page.
 *
 *   const { passed, failed, names, failures } = await runContract({ NOS, endpoint, accessKeyId, accessKeySecret, bucket })
 *
 * Each check is a named async function that throws on the first mismatch; `names` lists the checks that ran,
 * in order (CONTRACT_CHECKS), `failures` holds `{ name, error }` for each failed one. Every object the suite
 * writes lives under a fresh prefix (`prefix`, default `contract-<random>/`), so runtimes can share a bucket
 * and run at the same time. The suite cleans up after itself.
 *
 * Loading it where modules are not available (edge-runtime's script `evaluate`): the only `export` keywords
 * are at the start of a line in front of `const CONTRACT_CHECKS` and `async function runContract`, so
 * `source.replace(/^export /gm, '')` gives a classic script (see test/runtimes/edge-vm-run.mjs).
 */

/** The names of the checks, in the order they run. A runner expects exactly these. */
export const CONTRACT_CHECKS = [
  'exports: client, errors and guards are present',
  'putObject + getObject: bytes, text, metadata, content type',
  'getObject with a range',
  'headObject: size, type, etag, metadata, date',
  'listObjects: page, prefix, delimiter, truncation',
  'iterateObjects: every key across pages',
  'copyObject',
  'moveObject',
  'deleteObject',
  'deleteObjects',
  'multipart: create, uploadPart x2, listParts, complete',
  'upload(): multipart with progress',
  'directUpload: upload token, LBS, chunks, pause and resume from a checkpoint',
  'presign: GET and PUT URLs with plain fetch',
  'errors: NotFoundError NoSuchKey, isNosException, argument errors before I/O',
]

const enc = new TextEncoder()

class ContractMismatch extends Error {}
ContractMismatch.prototype.name = 'ContractMismatch'

function show(v) {
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`
  try {
    return JSON.stringify(v)
  } catch {
    return String(v)
  }
}
function ok(cond, what) {
  if (!cond) throw new ContractMismatch(`expected ${what}`)
}
function eq(actual, expected, what) {
  if (actual !== expected) throw new ContractMismatch(`${what}: expected ${show(expected)}, got ${show(actual)}`)
}
function deepEq(actual, expected, what) {
  const a = show(actual)
  const b = show(expected)
  if (a !== b) throw new ContractMismatch(`${what}: expected ${b}, got ${a}`)
}
function bytesEq(actual, expected, what) {
  ok(actual instanceof Uint8Array || ArrayBuffer.isView(actual), `${what} to be a Uint8Array, got ${Object.prototype.toString.call(actual)}`)
  eq(actual.length, expected.length, `${what} length`)
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) throw new ContractMismatch(`${what}: first difference at byte ${i}`)
  }
}
async function rejects(promise, what) {
  try {
    await promise
  } catch (e) {
    return e
  }
  throw new ContractMismatch(`${what} to throw, but it resolved`)
}

/** Deterministic pseudo-random bytes (xorshift32), identical in every runtime (the Node tests use it too). */
export function pseudoRandomBytes(n, seed = 1) {
  const out = new Uint8Array(n)
  let x = seed >>> 0 || 1
  for (let i = 0; i < n; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

function randomId() {
  const b = new Uint8Array(6)
  crypto.getRandomValues(b)
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}

const HELLO_MD5 = '5d41402abc4b2a76b9719d911017c592' // md5('hello')

const base64 = (bytes) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''))

/** An upload token made here with Web Crypto (docs/protocol.md#upload-tokens), independently of the SDK. */
async function uploadToken(accessKeyId, accessKeySecret, bucket, key, expiresUnix) {
  const policy = base64(enc.encode(JSON.stringify({ Bucket: bucket, Object: key, Expires: expiresUnix })))
  const hmacKey = await crypto.subtle.importKey('raw', enc.encode(accessKeySecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return `UPLOAD ${accessKeyId}:${base64(new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, enc.encode(policy))))}:${policy}`
}

/** Bytes of a request body as fetch is given it (a stream carries its length in Content-Length). */
function bodyLength(init) {
  const b = init && init.body
  if (b == null) return 0
  if (typeof ReadableStream !== 'undefined' && b instanceof ReadableStream) return Number(new Headers(init.headers).get('content-length'))
  return b.byteLength ?? b.size ?? 0
}
const KiB = 1024

/**
 * Runs every check. Never throws for a failed check (it is counted); throws only for bad arguments.
 * @param {{ NOS: any, endpoint: string, accessKeyId: string, accessKeySecret: string, bucket: string,
 *           prefix?: string, log?: (line: string) => void, clientOptions?: object }} options
 * @returns {Promise<{ passed: number, failed: number, names: string[], failures: { name: string, error: string }[], ms: number }>}
 */
export async function runContract({ NOS, endpoint, accessKeyId, accessKeySecret, bucket, prefix, log = () => {}, clientOptions = {} }) {
  if (!NOS || typeof NOS.NosClient !== 'function') throw new TypeError('runContract: NOS must be the nos-sdk module namespace or the NOS global')
  if (!endpoint || !accessKeyId || !accessKeySecret || !bucket) throw new TypeError('runContract: endpoint, accessKeyId, accessKeySecret and bucket are required')
  const P = prefix ?? `contract-${randomId()}/`
  const client = new NOS.NosClient({ endpoint, accessKeyId, accessKeySecret, retryBaseDelay: 1, retryMaxDelay: 10, ...clientOptions })
  const started = Date.now()

  const checks = {
    'exports: client, errors and guards are present': async () => {
      for (const name of ['NosClient', 'NOSException', 'ClientException', 'ServiceException', 'NotFoundError', 'InvalidBucketName',
        'isNosException', 'isNosErrorKind', 'isClientException', 'isServiceException', 'md5Hex', 'createHmacSigner', 'remoteSigner']) {
        ok(typeof NOS[name] === 'function', `NOS.${name} to be a function`)
      }
      eq(await NOS.md5Hex(enc.encode('hello')), HELLO_MD5, 'md5Hex("hello")')
      // The HMAC-SHA256 signer through Web Crypto: base64 of a 32-byte MAC.
      const sig = await NOS.createHmacSigner('secret')('GET\n\n\n\n/b/k')
      ok(typeof sig === 'string' && /^[A-Za-z0-9+/]{43}=$/.test(sig), `a base64 HMAC-SHA256 signature, got ${show(sig)}`)
    },

    'putObject + getObject: bytes, text, metadata, content type': async () => {
      const put = await client.putObject({ bucket, key: `${P}hello.txt`, body: 'hello', contentType: 'text/plain', metadata: { owner: 'contract', 'x-nos-meta-Color': 'blue' } })
      eq(put.etag, HELLO_MD5, 'putObject etag')
      ok(typeof put.requestId === 'string' && put.requestId.length > 0, 'putObject requestId')
      const got = await client.getObject({ bucket, key: `${P}hello.txt` })
      eq(got.contentLength, 5, 'getObject contentLength')
      eq(got.contentType, 'text/plain', 'getObject contentType')
      eq(got.etag, HELLO_MD5, 'getObject etag')
      eq(got.metadata.owner, 'contract', 'metadata owner')
      eq(got.metadata.color ?? got.metadata.Color, 'blue', 'metadata color (given with the x-nos-meta- prefix)')
      ok(got.body && typeof got.body.getReader === 'function', 'getObject body to be a ReadableStream')
      eq(await got.text(), 'hello', 'getObject text()')

      const bytes = pseudoRandomBytes(100 * KiB + 7, 11)
      const put2 = await client.putObject({ bucket, key: `${P}bin/data.bin`, body: bytes })
      eq(put2.etag, await NOS.md5Hex(bytes), 'binary putObject etag')
      bytesEq(await (await client.getObject({ bucket, key: `${P}bin/data.bin` })).bytes(), bytes, 'binary round trip')

      // A Blob body, and an object body (sent as JSON, as in the seed).
      await client.putObject({ bucket, key: `${P}blob.bin`, body: new Blob([bytes.subarray(0, 1000)]) })
      bytesEq(new Uint8Array(await (await client.getObject({ bucket, key: `${P}blob.bin` })).arrayBuffer()), bytes.subarray(0, 1000), 'Blob round trip')
      await client.putObject({ bucket, key: `${P}obj.json`, body: { hello: 'world', n: 1 } })
      const json = await client.getObject({ bucket, key: `${P}obj.json` })
      deepEq(JSON.parse(await json.text()), { hello: 'world', n: 1 }, 'JSON body')
      ok(/json/.test(json.contentType), `a JSON content type, got ${show(json.contentType)}`)

      // A key that needs encoding.
      const tricky = `${P}dir/中文 key+plus%25 #?.txt`
      await client.putObject({ bucket, key: tricky, body: 'tricky' })
      eq(await (await client.getObject({ bucket, key: tricky })).text(), 'tricky', 'tricky key round trip')
      await client.deleteObject({ bucket, key: tricky })
      await client.deleteObject({ bucket, key: `${P}blob.bin` })
      await client.deleteObject({ bucket, key: `${P}obj.json` })
    },

    'getObject with a range': async () => {
      const bytes = pseudoRandomBytes(100 * KiB + 7, 11)
      const r = await client.getObject({ bucket, key: `${P}bin/data.bin`, range: { start: 10, end: 19 } })
      eq(r.contentLength, 10, 'ranged contentLength')
      eq(r.contentRange, `bytes 10-19/${bytes.length}`, 'contentRange')
      bytesEq(await r.bytes(), bytes.subarray(10, 20), 'ranged bytes')
      const tail = await client.getObject({ bucket, key: `${P}bin/data.bin`, range: 'bytes=-5' })
      bytesEq(await tail.bytes(), bytes.subarray(bytes.length - 5), 'suffix range bytes')
    },

    'headObject: size, type, etag, metadata, date': async () => {
      const h = await client.headObject({ bucket, key: `${P}hello.txt` })
      eq(h.contentLength, 5, 'head contentLength')
      eq(h.contentType, 'text/plain', 'head contentType')
      eq(h.etag, HELLO_MD5, 'head etag')
      eq(h.metadata.owner, 'contract', 'head metadata')
      ok(h.lastModified instanceof Date && Math.abs(h.lastModified.getTime() - Date.now()) < 10 * 60_000, `lastModified to be a recent Date, got ${show(h.lastModified)}`)
    },

    'listObjects: page, prefix, delimiter, truncation': async () => {
      for (const k of ['list/a.txt', 'list/b.txt', 'list/c.txt', 'list/sub/d.txt', 'list/sub/e.txt']) {
        await client.putObject({ bucket, key: `${P}${k}`, body: k })
      }
      const all = await client.listObjects({ bucket, prefix: `${P}list/` })
      deepEq(all.contents.map((c) => c.key.slice(P.length)), ['list/a.txt', 'list/b.txt', 'list/c.txt', 'list/sub/d.txt', 'list/sub/e.txt'], 'listed keys')
      eq(all.isTruncated, false, 'isTruncated')
      const a = all.contents[0]
      eq(a.size, 'list/a.txt'.length, 'listed size')
      eq(a.etag, await NOS.md5Hex(enc.encode('list/a.txt')), 'listed etag')
      ok(a.lastModified instanceof Date, 'listed lastModified to be a Date')
      const dir = await client.listObjects({ bucket, prefix: `${P}list/`, delimiter: '/' })
      deepEq(dir.contents.map((c) => c.key.slice(P.length)), ['list/a.txt', 'list/b.txt', 'list/c.txt'], 'keys beside the common prefix')
      deepEq(dir.commonPrefixes, [`${P}list/sub/`], 'commonPrefixes')
      const page = await client.listObjects({ bucket, prefix: `${P}list/`, limit: 2 })
      eq(page.contents.length, 2, 'page size')
      eq(page.isTruncated, true, 'truncated page')
      ok(typeof page.nextMarker === 'string' && page.nextMarker.length > 0, 'nextMarker')
      const next = await client.listObjects({ bucket, prefix: `${P}list/`, limit: 2, marker: page.nextMarker })
      deepEq(next.contents.map((c) => c.key.slice(P.length)), ['list/c.txt', 'list/sub/d.txt'], 'second page')
    },

    'iterateObjects: every key across pages': async () => {
      const keys = []
      for await (const o of client.iterateObjects({ bucket, prefix: `${P}list/`, limit: 2 })) keys.push(o.key.slice(P.length))
      deepEq(keys, ['list/a.txt', 'list/b.txt', 'list/c.txt', 'list/sub/d.txt', 'list/sub/e.txt'], 'iterated keys')
      const dirs = []
      for await (const d of client.iterateCommonPrefixes({ bucket, prefix: `${P}list/`, delimiter: '/' })) dirs.push(d)
      deepEq(dirs, [`${P}list/sub/`], 'iterated common prefixes')
    },

    copyObject: async () => {
      const r = await client.copyObject({ srcBucket: bucket, srcKey: `${P}hello.txt`, destBucket: bucket, destKey: `${P}copy.txt` })
      ok(typeof r.requestId === 'string', 'copyObject requestId')
      eq(await (await client.getObject({ bucket, key: `${P}copy.txt` })).text(), 'hello', 'copied content')
      eq((await client.headObject({ bucket, key: `${P}hello.txt` })).contentLength, 5, 'source still there')
    },

    moveObject: async () => {
      await client.moveObject({ srcBucket: bucket, srcKey: `${P}copy.txt`, destBucket: bucket, destKey: `${P}moved.txt` })
      eq(await (await client.getObject({ bucket, key: `${P}moved.txt` })).text(), 'hello', 'moved content')
      const e = await rejects(client.headObject({ bucket, key: `${P}copy.txt` }), 'headObject of the moved-away key')
      ok(NOS.isNosErrorKind(e, 'NotFoundError'), `NotFoundError for the source of a move, got ${e && e.name}: ${e && e.message}`)
    },

    deleteObject: async () => {
      const r = await client.deleteObject({ bucket, key: `${P}moved.txt` })
      ok(typeof r.requestId === 'string', 'deleteObject requestId')
      const e = await rejects(client.getObject({ bucket, key: `${P}moved.txt` }), 'getObject after delete')
      eq(e.statusCode, 404, 'status after delete')
    },

    deleteObjects: async () => {
      const keys = ['list/a.txt', 'list/b.txt', 'list/c.txt', 'list/sub/d.txt', 'list/sub/e.txt'].map((k) => P + k)
      const r = await client.deleteObjects({ bucket, keys })
      deepEq(r.deleted.map((d) => d.key).sort(), [...keys].sort(), 'deleted keys')
      const left = await client.listObjects({ bucket, prefix: `${P}list/` })
      eq(left.contents.length, 0, 'objects left after deleteObjects')
    },

    'multipart: create, uploadPart x2, listParts, complete': async () => {
      const key = `${P}multi.bin`
      const part1 = pseudoRandomBytes(20 * KiB, 21)
      const part2 = pseudoRandomBytes(3 * KiB + 1, 22)
      const init = await client.createMultipartUpload({ bucket, key, metadata: { kind: 'multipart' } })
      eq(init.bucket, bucket, 'create bucket')
      eq(init.key, key, 'create key')
      ok(typeof init.uploadId === 'string' && init.uploadId.length > 0, 'an uploadId')
      const { uploadId } = init
      const p1 = await client.uploadPart({ bucket, key, uploadId, partNum: 1, body: part1 })
      const p2 = await client.uploadPart({ bucket, key, uploadId, partNum: 2, body: part2 })
      eq(p1.etag, await NOS.md5Hex(part1), 'part 1 etag')
      eq(p2.etag, await NOS.md5Hex(part2), 'part 2 etag')
      const listed = await client.listParts({ bucket, key, uploadId })
      deepEq(listed.parts.map((p) => [p.partNum, p.size, p.etag]), [[1, part1.length, p1.etag], [2, part2.length, p2.etag]], 'listParts')
      const pending = await client.listMultipartUploads({ bucket })
      ok(pending.uploads.some((u) => u.uploadId === uploadId && u.key === key), 'the upload in listMultipartUploads')
      const done = await client.completeMultipartUpload({ bucket, key, uploadId, parts: [{ partNum: 1, etag: p1.etag }, { partNum: 2, etag: p2.etag }] })
      eq(done.key, key, 'complete key')
      ok(typeof done.etag === 'string' && done.etag.length > 0, 'complete etag')
      const got = await client.getObject({ bucket, key })
      eq(got.metadata.kind, 'multipart', 'metadata given at create')
      const all = new Uint8Array(part1.length + part2.length)
      all.set(part1)
      all.set(part2, part1.length)
      bytesEq(await got.bytes(), all, 'completed object')
      await client.deleteObject({ bucket, key })
    },

    'upload(): multipart with progress': async () => {
      const key = `${P}managed.bin`
      const body = pseudoRandomBytes(50 * KiB + 3, 31)
      const events = []
      const up = client.upload({ bucket, key, body, partSize: 16 * KiB, concurrency: 2, onProgress: (p) => events.push({ ...p }) })
      ok(typeof up.then === 'function' && typeof up.abort === 'function' && typeof up.pause === 'function', 'a ManagedUpload (then/abort/pause)')
      const r = await up
      eq(r.partsTotal, 4, 'partsTotal')
      eq(r.size, body.length, 'uploaded size')
      ok(typeof r.uploadId === 'string', 'a multipart upload (uploadId set)')
      ok(events.length >= 2, `several progress events, got ${events.length}`)
      const last = events[events.length - 1]
      eq(last.loaded, body.length, 'final progress loaded')
      eq(last.total, body.length, 'progress total')
      eq(last.partsDone, 4, 'final partsDone')
      for (let i = 1; i < events.length; i++) {
        ok(events[i].partsDone >= events[i - 1].partsDone, 'partsDone never decreases')
      }
      bytesEq(await (await client.getObject({ bucket, key })).bytes(), body, 'uploaded object')
      // A small body goes in one PUT.
      const small = await client.upload({ bucket, key: `${P}small.txt`, body: 'small' })
      eq(small.uploadId, undefined, 'no uploadId for a single PUT')
      eq(small.etag, await NOS.md5Hex(enc.encode('small')), 'single PUT etag')
      await client.deleteObjects({ bucket, keys: [key, `${P}small.txt`] })
    },

    'directUpload: upload token, LBS, chunks, pause and resume from a checkpoint': async () => {
      ok(typeof NOS.directUpload === 'function' && typeof NOS.MemoryCheckpointStore === 'function', 'NOS.directUpload and NOS.MemoryCheckpointStore')
      const key = `${P}direct/data.bin`
      const body = pseudoRandomBytes(250 * KiB + 3, 51)
      const expires = Math.floor(Date.now() / 1000) + 600
      const token = await uploadToken(accessKeyId, accessKeySecret, bucket, key, expires)
      if (typeof NOS.createUploadToken === 'function') {
        eq(await NOS.createUploadToken({ accessKeyId, accessKeySecret, bucket, key, expires: 600, now: () => (expires - 600) * 1000 }), token, 'createUploadToken')
      }
      let sent = 0
      const baseFetch = clientOptions.fetch ?? fetch
      const counting = (input, init) => ((sent += init && init.method === 'POST' ? bodyLength(init) : 0), baseFetch(input, init))
      const store = new NOS.MemoryCheckpointStore()
      // 96 KiB chunks: above 64 KiB, where runtimes that can stream request bodies send chunks as streams.
      const params = { token, bucket, key, body, lbsEndpoint: `${endpoint}/lbs`, chunkSize: 96 * KiB, checkpoint: store, fetch: counting, retryBaseDelay: 1 }
      let paused
      const first = NOS.directUpload({ ...params, onProgress: (p) => void (p.confirmed > 0 && (paused ??= first.pause())) })
      const stop = await rejects(first, 'a paused direct upload')
      eq(stop.name, 'DirectUploadPausedError', 'pause error')
      const cp = await paused
      eq(cp.offset, 96 * KiB, 'checkpoint offset')
      eq(store.keys().length, 1, 'checkpoints stored')
      sent = 0
      const events = []
      const r = await NOS.directUpload({ ...params, onProgress: (p) => void events.push(p) })
      deepEq([r.key, r.size, r.resumed, r.bytesSent, r.etag], [key, body.length, true, body.length - cp.offset, await NOS.md5Hex(body)], 'result')
      eq(sent, body.length - cp.offset, 'bytes sent after the resume')
      eq(events[0].loaded, cp.offset, 'progress starts at the checkpoint')
      eq(events[events.length - 1].loaded, body.length, 'final progress')
      bytesEq(await (await client.getObject({ bucket, key })).bytes(), body, 'direct upload round trip')
      eq(store.keys().length, 0, 'checkpoints left')
      // A Blob through the runtime's own transport (XMLHttpRequest in a page), and a token NOS refuses.
      const blobKey = `${P}direct/blob.txt`
      const blob = new Blob([body.subarray(0, 5000)], { type: 'text/plain' })
      const viaBlob = await NOS.directUpload({ token: await uploadToken(accessKeyId, accessKeySecret, bucket, blobKey, expires), bucket, key: blobKey, body: blob, endpoint, chunkSize: 4 * KiB, fetch: clientOptions.fetch })
      eq(viaBlob.etag, await NOS.md5Hex(body.subarray(0, 5000)), 'Blob direct upload etag')
      const blobType = (await client.headObject({ bucket, key: blobKey })).contentType
      ok(blobType === blob.type && blobType.startsWith('text/plain'), `the Blob's own type (${blob.type}), got ${blobType}`)
      const wrong = await uploadToken(accessKeyId, `${accessKeySecret}-wrong`, bucket, blobKey, expires)
      const f = await rejects(NOS.directUpload({ token: wrong, bucket, key: blobKey, body: 'x', endpoint, fetch: clientOptions.fetch, maxRetries: 0 }), 'a token with a wrong signature')
      ok(NOS.isNosErrorKind(f, 'ForbiddenError') && f.statusCode === 403, `ForbiddenError 403, got ${f && f.name} ${f && f.statusCode}`)
    },

    'presign: GET and PUT URLs with plain fetch': async () => {
      const getUrl = await client.presignUrl({ bucket, key: `${P}hello.txt`, expires: 300 })
      ok(/[?&]Expires=\d+/.test(getUrl) && /[?&]Signature=/.test(getUrl) && getUrl.includes(`NOSAccessKeyId=${encodeURIComponent(accessKeyId)}`), `a query-auth URL, got ${getUrl}`)
      const res = await fetch(getUrl)
      eq(res.status, 200, 'presigned GET status')
      eq(await res.text(), 'hello', 'presigned GET body')

      const key = `${P}presigned-put.json`
      const put = await client.presignRequest({ method: 'PUT', bucket, key, contentType: 'application/json', expires: 300 })
      eq(put.method, 'PUT', 'presigned method')
      eq(put.headers['Content-Type'], 'application/json', 'pinned Content-Type')
      ok(put.expiresAt instanceof Date, 'expiresAt')
      const up = await fetch(put.url, { method: 'PUT', headers: put.headers, body: enc.encode('{"via":"presigned"}') })
      eq(up.status, 200, `presigned PUT status (${await up.clone().text()})`)
      deepEq(JSON.parse(await (await client.getObject({ bucket, key })).text()), { via: 'presigned' }, 'presigned PUT content')
      // The Content-Type is signed: another one is refused.
      const wrong = await fetch(put.url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: enc.encode('x') })
      eq(wrong.status, 403, 'status with a different Content-Type')
      ok(/SignatureDoesNotMatch/.test(await wrong.text()), 'SignatureDoesNotMatch for a different Content-Type')
      await client.deleteObject({ bucket, key })
    },

    'errors: NotFoundError NoSuchKey, isNosException, argument errors before I/O': async () => {
      const e = await rejects(client.getObject({ bucket, key: `${P}does-not-exist` }), 'getObject of a missing key')
      ok(NOS.isNosException(e), `isNosException(e), got ${e && e.name}: ${e && e.message}`)
      eq(e.name, 'NotFoundError', 'error name')
      ok(NOS.isNosErrorKind(e, 'NotFoundError') && NOS.isNosErrorKind(e, 'ServiceException') && NOS.isServiceException(e), 'NotFoundError <- ServiceException')
      ok(e instanceof NOS.NotFoundError && e instanceof NOS.NOSException && e instanceof Error, 'instanceof within one build')
      eq(e.statusCode, 404, 'statusCode')
      eq(e.errorCode, 'NoSuchKey', 'errorCode')
      ok(typeof e.requestId === 'string' && e.requestId.length > 0, 'requestId on the error')
      ok(!/Signature=|NOS [^:\s]+:[A-Za-z0-9+/=]{20,}/.test(e.message), 'no signature in the message')
      const nb = await rejects(client.listObjects({ bucket: `nosuchbucket${randomId()}` }), 'listObjects of a missing bucket')
      eq(nb.errorCode, 'NoSuchBucket', 'missing bucket errorCode')

      // Argument errors are thrown before any request.
      let fetched = 0
      const counting = new NOS.NosClient({ endpoint, accessKeyId, accessKeySecret, fetch: (...a) => (fetched++, fetch(...a)) })
      const bad = await rejects(counting.putObject({ bucket: 'Bad_Bucket!', key: 'k', body: 'x' }), 'an invalid bucket name')
      eq(bad.name, 'InvalidBucketName', 'invalid bucket error')
      ok(NOS.isClientException(bad) && !NOS.isServiceException(bad), 'InvalidBucketName is a ClientException')
      const badKey = await rejects(counting.putObject({ bucket, key: '', body: 'x' }), 'an empty key')
      eq(badKey.name, 'InvalidObjectName', 'empty key error')
      eq(fetched, 0, 'requests sent for invalid arguments')

      // Wrong secret -> 403 SignatureDoesNotMatch, never echoing the signature.
      const wrong = new NOS.NosClient({ endpoint, accessKeyId, accessKeySecret: `${accessKeySecret}-wrong`, maxRetries: 0 })
      const f = await rejects(wrong.headObject({ bucket, key: `${P}hello.txt` }), 'a request with a wrong secret')
      ok(NOS.isNosErrorKind(f, 'ForbiddenError'), `ForbiddenError, got ${f && f.name}`)
      eq(f.statusCode, 403, 'wrong secret status')
    },
  }

  const names = []
  const failures = []
  let passed = 0
  for (const name of CONTRACT_CHECKS) {
    const check = checks[name] ?? checks[name.split(' ')[0]]
    names.push(name)
    const t0 = Date.now()
    try {
      if (!check) throw new ContractMismatch(`no implementation for check ${JSON.stringify(name)}`)
      await check()
      passed++
      log(`ok   ${name} (${Date.now() - t0} ms)`)
    } catch (e) {
      const error = e && e.stack ? `${e.name}: ${e.message}` : String(e)
      failures.push({ name, error })
      log(`FAIL ${name}: ${error}`)
    }
  }
  // Best-effort cleanup of anything a failed check left behind.
  try {
    const left = []
    for await (const o of client.iterateObjects({ bucket, prefix: P })) left.push(o.key)
    if (left.length) await client.deleteObjects({ bucket, keys: left })
    for await (const u of client.iterateMultipartUploads({ bucket })) {
      if (u.key.startsWith(P)) await client.abortMultipartUpload({ bucket, key: u.key, uploadId: u.uploadId })
    }
  } catch (e) {
    log(`cleanup: ${e && e.message}`)
  }
  return { passed, failed: failures.length, names, failures, ms: Date.now() - started }
}
