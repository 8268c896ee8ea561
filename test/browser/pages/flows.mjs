/**
 * Page side of the browser tests: each export is one scenario, run in Chromium by a spec through
 * `page.evaluate(([name, arg]) => window.flows[name](arg), ...)`, returning plain data for the spec to assert.
 * Loaded by /page.html?build=esm|umd|iife (test/browser/server.mjs): with `esm`, the SDK comes from the npm ESM
 * build (`dist/index.js`, `dist/browser.js`) through the page's import map; with `umd`/`iife`, from the
 * `NOS` global of the bundle the page loaded with a classic <script>.
 */
import { pseudoRandomBytes } from '/test/contract/suite.mjs'
import { edgeFlows, edgeProperties } from '/test/browser/pages/edge-flows.mjs'

const build = new URL(import.meta.url).searchParams.get('build') ?? 'esm'

/** The SDK as this page loaded it. */
const sdk = () => (build === 'esm' ? import('/dist/index.js') : Promise.resolve(globalThis.NOS))
/** `nos-sdk/browser` (everything of `nos-sdk` plus putPresigned, LocalStorageCheckpointStore). */
const browserSdk = () => import('/dist/browser.js')

const MiB = 1024 * 1024

/** Deterministic bytes: the contract suite's generator (served from /test/contract). */
const pattern = (n, seed = 7) => pseudoRandomBytes(n, seed)

const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i])
const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('')
const sha256 = async (data) => hex(await crypto.subtle.digest('SHA-256', data instanceof Blob ? await data.arrayBuffer() : data))
const errorInfo = (e) => ({ name: e?.name, message: e?.message, statusCode: e?.statusCode, errorCode: e?.errorCode, resource: e?.resource })

/** A fetch that records what the SDK hands to fetch (headers, body type, duplex) and the requests in flight. */
function recordingFetch() {
  const requests = []
  let inFlight = 0
  let maxInFlight = 0
  const f = async (input, init = {}) => {
    const url = new URL(String(input))
    requests.push({
      method: init.method ?? 'GET',
      query: url.search,
      headers: Object.fromEntries(new Headers(init.headers)),
      bodyType: init.body == null ? null : Object.prototype.toString.call(init.body).slice(8, -1),
      duplex: init.duplex ?? null,
    })
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    const entry = requests[requests.length - 1]
    entry.start = Math.round(performance.now())
    try {
      return await fetch(input, init)
    } finally {
      inFlight--
      entry.end = Math.round(performance.now())
    }
  }
  return { fetch: f, requests, get maxInFlight() { return maxInFlight } }
}

/** Presigned PUT and GET from the backend; `type` null: the PUT is signed without a Content-Type. */
async function presign(bucket, key, type) {
  const res = await fetch(`/presign?bucket=${bucket}&key=${encodeURIComponent(key)}&${type === null ? 'untyped=1' : `type=${encodeURIComponent(type)}`}`)
  if (!res.ok) throw new Error(`presign: ${res.status} ${await res.text()}`)
  return res.json()
}

/** The contract suite with the SDK build this page loaded, plus the browser defaults of the client. */
async function contract({ endpoint, accessKeyId, accessKeySecret, bucket }) {
  const NOS = await sdk()
  const { runContract } = await import('/test/contract/suite.mjs')
  const lines = []
  const result = await runContract({ NOS, endpoint, accessKeyId, accessKeySecret, bucket, prefix: `browser-${build}-${Date.now()}/`, log: (l) => lines.push(l) })
  const { config } = new NOS.NosClient({ endpoint, accessKeyId, accessKeySecret })
  return { ...result, lines, build, isBrowserLike: NOS.isBrowserLike(), useNosDate: config.useNosDate, streamRequestBodies: config.streamRequestBodies }
}

/** Presigned PUT/GET made by the backend; the page uploads a File with plain fetch and with putPresigned. */
async function presigned({ size }) {
  const { putPresigned, md5Hex } = await browserSdk()
  const bytes = pattern(size, 3)
  const file = new File([bytes], 'photo.png', { type: 'image/png' })
  const md5 = await md5Hex(bytes)
  const out = { md5 }

  // 1. Plain fetch with the File and the signed headers.
  let p = await presign('uploads', 'presigned/plain.png', 'image/png')
  out.urls = { put: p.put.url, get: p.get, headers: p.put.headers }
  const put = await fetch(p.put.url, { method: p.put.method, headers: p.put.headers, body: file })
  let got = await fetch(p.get)
  out.plain = { status: put.status, etag: put.headers.get('etag'), getStatus: got.status, contentType: got.headers.get('content-type'), same: same(new Uint8Array(await got.arrayBuffer()), bytes) }

  // 2. putPresigned (XMLHttpRequest: upload progress events).
  p = await presign('uploads', 'presigned/xhr.png', 'image/png')
  const events = []
  const r = await putPresigned(p.put, file, { onProgress: (e) => events.push(e) })
  got = await fetch(p.get)
  out.xhr = {
    ...r,
    events: events.length,
    last: events.at(-1),
    monotonic: events.every((e, i) => i === 0 || e.loaded >= events[i - 1].loaded),
    same: same(new Uint8Array(await got.arrayBuffer()), bytes),
  }

  // 3. putPresigned through fetch (no progress but the result), bytes instead of a File.
  p = await presign('uploads', 'presigned/fetch.bin', 'application/octet-stream')
  const r3 = await putPresigned(p.put, bytes.subarray(0, 1000), { useFetch: true })
  out.fetch = { ...r3, same: same(new Uint8Array(await (await fetch(p.get)).arrayBuffer()), bytes.subarray(0, 1000)) }

  // 4. The Content-Type is signed: a File of another type is refused by NOS, as a mapped error.
  p = await presign('uploads', 'presigned/typed.png', 'image/png')
  try {
    await putPresigned(p.put.url, new File([bytes.subarray(0, 100)], 'x.txt', { type: 'text/plain' }))
    out.wrongType = 'accepted'
  } catch (e) {
    out.wrongType = errorInfo(e)
  }
  return out
}

/** No secret in the page: remoteSigner('/sign') + createSigningHandler on the backend; a big multipart upload. */
async function noSecret({ endpoint, accessKeyId, size, partSize, concurrency, clientOptions = {}, uploadOptions = {} }) {
  const NOS = await browserSdk()
  const rec = recordingFetch()
  const client = new NOS.NosClient({ endpoint, accessKeyId, sign: NOS.remoteSigner('/sign'), fetch: rec.fetch, ...clientOptions })
  const bucket = 'nosecret'
  const key = `uploads/big-${Date.now()}.bin`

  // A generated Blob: 1 MiB of random bytes, repeated with a counter so that no two MiB are equal.
  const block = new Uint8Array(MiB)
  for (let o = 0; o < MiB; o += 65536) crypto.getRandomValues(block.subarray(o, o + 65536))
  const chunks = []
  for (let i = 0; i < size / MiB; i++) {
    const c = block.slice()
    new DataView(c.buffer).setUint32(0, i)
    chunks.push(c)
  }
  const blob = new Blob(chunks, { type: 'application/octet-stream' })

  const events = []
  const t0 = performance.now()
  const result = await client.upload({ bucket, key, body: blob, partSize, concurrency, onProgress: (p) => events.push({ ...p }), ...uploadOptions })
  const uploadMs = Math.round(performance.now() - t0)
  const parts = rec.requests.filter((r) => r.method === 'PUT' && /partNumber=/.test(r.query)).length
  const maxInFlight = rec.maxInFlight

  const head = await client.headObject({ bucket, key })
  const object = await client.getObject({ bucket, key })
  const [sent, received] = await Promise.all([sha256(blob), sha256(await object.arrayBuffer())])

  // A single PUT: its ETag is read through the bucket's CORS rule (ExposeHeader ETag).
  const small = await client.putObject({ bucket, key: 'uploads/small.txt', body: 'hello', contentType: 'text/plain' })

  // Outside the policy: refused by the backend, surfaced as SigningPolicyError.
  const refused = {}
  for (const [name, params] of Object.entries({
    prefix: { bucket, key: 'elsewhere/x.txt', body: 'x' },
    bucket: { bucket: 'contract', key: 'uploads/x.txt', body: 'x' },
  })) {
    try {
      await client.putObject(params)
      refused[name] = 'accepted'
    } catch (e) {
      refused[name] = { ...errorInfo(e), isNosException: NOS.isNosException(e), isClientException: NOS.isClientException(e) }
    }
  }

  return {
    result: { size: result.size, partsTotal: result.partsTotal, partsSent: result.partsSent, etag: result.etag, uploadId: result.uploadId },
    uploadMs,
    parts,
    maxInFlight,
    events: {
      count: events.length,
      last: events.at(-1),
      monotonicLoaded: events.every((e, i) => i === 0 || e.loaded >= events[i - 1].loaded),
      partsDoneSeen: [...new Set(events.map((e) => e.partsDone))],
    },
    head: { contentLength: head.contentLength, etag: head.etag },
    sameBytes: sent === received,
    small,
    refused,
    config: { hasSecretSigner: client.config.signer !== undefined, useNosDate: client.config.useNosDate, streamRequestBodies: client.config.streamRequestBodies },
    requests: rec.requests,
  }
}

/** A bucket whose CORS rule hides ETag: putObject / uploadPart / upload() say which rule to add. */
async function corsStrict({ endpoint, accessKeyId, accessKeySecret }) {
  const NOS = await browserSdk()
  const client = new NOS.NosClient({ endpoint, accessKeyId, accessKeySecret })
  const bucket = 'strict'
  const caught = async (fn) => {
    try {
      await fn()
      return 'resolved'
    } catch (e) {
      return { ...errorInfo(e), kind: NOS.isNosErrorKind(e, 'CorsExposeHeaderError'), clientException: NOS.isClientException(e) }
    }
  }
  const out = {}
  out.putObject = await caught(() => client.putObject({ bucket, key: 'cors/a.txt', body: 'hello' }))
  const { uploadId } = await client.createMultipartUpload({ bucket, key: 'cors/m.bin' })
  out.uploadPart = await caught(() => client.uploadPart({ bucket, key: 'cors/m.bin', uploadId, partNum: 1, body: pattern(20 * 1024) }))
  await client.abortMultipartUpload({ bucket, key: 'cors/m.bin', uploadId })
  out.upload = await caught(() => client.upload({ bucket, key: 'cors/u.bin', body: pattern(40 * 1024), partSize: 16 * 1024, concurrency: 2 }))
  // upload() aborted its multipart upload: nothing is left behind.
  out.pendingAfterUpload = (await client.listMultipartUploads({ bucket })).uploads.map((u) => u.key)
  // The presigned route does not throw (the upload did succeed) but says the ETag was hidden.
  const p = await presign(bucket, 'cors/p.txt', 'text/plain')
  const warnings = []
  const warn = console.warn
  console.warn = (...a) => warnings.push(a.join(' '))
  try {
    const r = await NOS.putPresigned(p.put, new Blob(['presigned'], { type: 'text/plain' }))
    out.presigned = { status: r.status, etag: r.etag, etagReadable: r.etagReadable, warnings }
  } finally {
    console.warn = warn
  }
  return out
}

window.flows = { build, contract, presigned, noSecret, corsStrict, ...edgeFlows({ sdk, browserSdk, presign }), ...edgeProperties({ sdk, browserSdk, presign }) }
window.dispatchEvent(new Event('flows-ready'))
