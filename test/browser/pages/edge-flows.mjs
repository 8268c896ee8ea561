/**
 * Page side of test/browser/edges.spec.ts: the edges users hit in a page. Each flow returns plain data
 * for the spec to assert. `sdk()` is the build the page loaded (the UMD bundle with ?build=umd).
 */

/** Runs `fn`; its error as plain data (with the kinds the SDK's guards see), or 'resolved'. */
async function caught(NOS, fn) {
  try {
    await fn()
    return 'resolved'
  } catch (e) {
    return {
      name: e?.name,
      message: e?.message,
      statusCode: e?.statusCode,
      errorCode: e?.errorCode,
      isNosException: NOS.isNosException(e),
      kinds: ['ConnectionError', 'SigningPolicyError', 'CorsExposeHeaderError', 'ForbiddenError'].filter((k) => NOS.isNosErrorKind(e, k)),
    }
  }
}

export function edgeFlows({ sdk, browserSdk, presign }) {
  /** Item 1: upload() keeps a File's type and JSON's, single PUT and multipart, as putObject does. */
  async function uploadContentType({ endpoint, accessKeyId, accessKeySecret }) {
    const NOS = await sdk()
    const client = new NOS.NosClient({ endpoint, accessKeyId, accessKeySecret })
    const bucket = 'contract'
    const prefix = `content-type-${Date.now()}/`
    const svg = (n) => new File([new Uint8Array(n).fill(60)], 'drawing.svg', { type: 'image/svg+xml' })
    const bigJson = Array.from({ length: 9000 }, (_, i) => i)
    await client.putObject({ bucket, key: `${prefix}put.svg`, body: svg(100) })
    await client.upload({ bucket, key: `${prefix}one.svg`, body: svg(100) })
    await client.upload({ bucket, key: `${prefix}multi.svg`, body: svg(40 * 1024), partSize: 16 * 1024 })
    await client.putObject({ bucket, key: `${prefix}put.json`, body: { a: 1 } })
    await client.upload({ bucket, key: `${prefix}one.json`, body: { a: 1 } })
    const multi = await client.upload({ bucket, key: `${prefix}multi.json`, body: bigJson, partSize: 16 * 1024 })
    const types = {}
    for (const name of ['put.svg', 'one.svg', 'multi.svg', 'put.json', 'one.json', 'multi.json']) types[name] = (await client.headObject({ bucket, key: prefix + name })).contentType
    return { types, multiParts: multi.partsTotal, umd: typeof globalThis.NOS === 'object' && NOS === globalThis.NOS }
  }

  /** Item 3: putPresigned sends exactly the Content-Type the URL was signed with (none: an untyped body). */
  async function presignedContentType() {
    const NOS = await browserSdk()
    const file = new File([new Uint8Array(2048).fill(7)], 'photo.png', { type: 'image/png' })
    const out = {}
    // Plain fetch of a File to a URL signed without a type: the browser adds image/png, NOS refuses.
    let p = await presign('uploads', 'edges/plain.png', null)
    out.plainFetch = (await fetch(p.put.url, { method: 'PUT', body: file })).status
    for (const [name, body, useFetch, asString] of [
      ['xhrFile', file, false, false], ['fetchFile', file, true, false], ['xhrString', 'hello', false, true], ['fetchBytes', new Uint8Array(10), true, true],
    ]) {
      p = await presign('uploads', `edges/${name}`, null)
      const r = await NOS.putPresigned(asString ? p.put.url : p.put, body, { useFetch })
      const got = await fetch(p.get)
      out[name] = { status: r.status, storedType: got.headers.get('content-type'), size: (await got.arrayBuffer()).byteLength }
    }
    // Signed with a type: that type is sent, whatever the File's own.
    p = await presign('uploads', 'edges/typed', 'image/webp')
    await NOS.putPresigned(p.put, file)
    out.typed = (await fetch(p.get)).headers.get('content-type')
    // Signed with a type but given the URL alone: refused, and the error says why and what to do (XHR and fetch).
    p = await presign('uploads', 'edges/mismatch', 'image/png')
    out.mismatchXhr = await caught(NOS, () => NOS.putPresigned(p.put.url, file))
    out.mismatchFetch = await caught(NOS, () => NOS.putPresigned(p.put.url, file, { useFetch: true }))
    return out
  }

  /** Item 4: reads say what a bucket's CORS rule hid, instead of an empty ETag and empty metadata. */
  async function corsReads({ endpoint, accessKeyId, accessKeySecret }) {
    const NOS = await browserSdk()
    const client = new NOS.NosClient({ endpoint, accessKeyId, accessKeySecret })
    const read = async (bucket, key) => {
      const head = await client.headObject({ bucket, key })
      const got = await client.getObject({ bucket, key })
      const fields = (r) => ({ etag: r.etag, requestId: r.requestId, metadata: r.metadata, metadataComplete: r.metadataComplete, hiddenHeaders: r.hiddenHeaders })
      return { head: fields(head), get: { ...fields(got), text: await got.text() } }
    }
    const out = {}
    out.strictHead = await caught(NOS, () => client.headObject({ bucket: 'strict', key: 'doc.txt' }))
    out.strictGet = await caught(NOS, () => client.getObject({ bucket: 'strict', key: 'doc.txt' }))
    out.reads = await read('reads', 'doc.txt')
    await client.putObject({ bucket: 'uploads', key: 'edges/meta.txt', body: 'x', metadata: { owner: 'u42' } })
    out.permissive = await read('uploads', 'edges/meta.txt')
    return out
  }

  /** Item 8: a signing endpoint gone wrong, or out of reach, gives a typed error that says what came back. */
  async function signerErrors({ endpoint, accessKeyId, unreachable }) {
    const NOS = await sdk()
    const out = {}
    for (const [name, url] of [['html', '/signer/html'], ['redirect', '/signer/redirect'], ['error500', '/signer/500'], ['unreachable', unreachable]]) {
      const client = new NOS.NosClient({ endpoint, accessKeyId, sign: NOS.remoteSigner(url), maxRetries: 0 })
      out[name] = await caught(NOS, () => client.putObject({ bucket: 'nosecret', key: 'uploads/signer.txt', body: 'x' }))
    }
    return { ...out, origin: location.origin }
  }

  return { uploadContentType, presignedContentType, corsReads, signerErrors }
}

/** Throws when `ok` is false: an assertion inside a page-side property. */
function check(ok, what) {
  if (!ok) throw new Error(what)
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b)

/** fast-check in the page (vendored by test/browser/vendor.mjs); a failed property comes back as its report. */
async function property(prop, params) {
  const fc = await import('fast-check')
  try {
    await fc.assert(prop(fc), params)
    return 'ok'
  } catch (e) {
    return `${e?.message ?? e}${e?.cause ? `\ncause: ${e.cause?.message ?? e.cause}` : ""}`
  }
}

export function edgeProperties({ sdk, browserSdk, presign }) {
  /** Item 3 as a class: any body kind, signed type (or none), target form and transport stores the signed type. */
  async function presignedProperty({ runs }) {
    const NOS = await browserSdk()
    const bytes = new Uint8Array(300).fill(1)
    const bodies = {
      filePng: () => new File([bytes], 'a.png', { type: 'image/png' }),
      fileUntyped: () => new File([bytes], 'a'),
      blobText: () => new Blob(['text'], { type: 'text/plain' }),
      string: () => 'a string',
      bytes: () => bytes,
    }
    let n = 0
    return property((fc) => fc.asyncProperty(
      fc.constantFrom(...Object.keys(bodies)), fc.constantFrom(null, 'image/png', 'text/plain', 'application/x-custom'), fc.constantFrom('request', 'url+headers'), fc.boolean(),
      async (kind, signedType, form, useFetch) => {
        const p = await presign('uploads', `edges/prop-${Date.now()}-${++n}`, signedType)
        const r = await NOS.putPresigned(form === 'request' ? p.put : p.put.url, bodies[kind](), { useFetch, headers: form === 'request' ? undefined : p.put.headers })
        const stored = (await fetch(p.get)).headers.get('content-type')
        check(r.status === 200 && stored === (signedType ?? 'application/octet-stream'), `${kind} ${signedType} ${form} ${useFetch}: ${r.status} ${stored}`)
      },
    ), { numRuns: runs, seed: 153 })
  }

  /** Item 4 as a class: for any ExposeHeader list, a read is either CorsExposeHeaderError or reports exactly what was hidden. */
  async function corsReadsProperty({ endpoint, accessKeyId, accessKeySecret, runs }) {
    const NOS = await sdk()
    const client = new NOS.NosClient({ endpoint, accessKeyId, accessKeySecret })
    const bucket = 'readsprop'
    const rule = (exposeHeaders) => ({ allowedOrigins: ['*'], allowedMethods: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'], allowedHeaders: ['*'], exposeHeaders })
    await client.putBucketCors({ bucket, rules: [rule(['ETag', 'x-nos-request-id'])] })
    // One object per run: Chromium's HTTP cache may answer a read of a URL it read before with the headers (and the
    // Access-Control-Expose-Headers) of that earlier answer, whatever the rule says now.
    const prefix = `doc-${Date.now()}-`
    for (let i = 0; i < runs; i++) await client.putObject({ bucket, key: prefix + i, body: 'x', metadata: { owner: 'u42', project: 'p7' } })
    const NAMES = ['ETag', 'x-nos-request-id', 'x-nos-meta-owner', 'x-nos-meta-project']
    let n = 0
    return property((fc) => fc.asyncProperty(fc.subarray(NAMES), fc.constantFrom('head', 'get'), async (exposed, op) => {
      await client.putBucketCors({ bucket, rules: [rule(exposed)] })
      const key = prefix + (n++ % runs)
      const r = await (op === 'head' ? client.headObject({ bucket, key }) : client.getObject({ bucket, key })).then((v) => v, (e) => e)
      const label = `${op} with ExposeHeader ${JSON.stringify(exposed)}`
      if (!exposed.includes('ETag')) return check(NOS.isNosErrorKind(r, 'CorsExposeHeaderError'), `${label}: ${r?.message ?? 'resolved'}`)
      if (op === 'get') await r.body.cancel()
      const requestIdShown = exposed.includes('x-nos-request-id')
      const metadata = Object.fromEntries(['owner', 'project'].filter((m) => exposed.includes(`x-nos-meta-${m}`)).map((m) => [m, { owner: 'u42', project: 'p7' }[m]]))
      check(/^[0-9a-f]{32}$/.test(r.etag), `${label}: etag ${r.etag}`)
      check(same(r.hiddenHeaders, requestIdShown ? [] : ['x-nos-request-id']) && (r.requestId === '') === !requestIdShown, `${label}: hidden ${r.hiddenHeaders} requestId ${r.requestId}`)
      check(same(r.metadata, metadata) && r.metadataComplete === false, `${label}: metadata ${JSON.stringify(r.metadata)} complete ${r.metadataComplete}`)
    }), { numRuns: runs, seed: 154 })
  }

  return { presignedProperty, corsReadsProperty }
}
