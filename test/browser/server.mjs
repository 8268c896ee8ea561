/**
 * The browser tests' backend, on 127.0.0.1 (port 0): a static server for the built SDK, the contract suite
 * and the test pages, plus the two server halves a real app would run next to the SDK:
 *   POST /sign      createSigningHandler(secret, policy): the "no secret in the page" route (remoteSigner)
 *   GET  /presign   presigned PUT (Content-Type pinned, or none with &untyped=1) + GET URLs made with the SDK in Node
 *   POST /signer/html, /signer/redirect (-> /signer/login), /signer/500: signing endpoints gone wrong
 *   POST /upload-token  createUploadTokenHandler: upload tokens for direct upload (GET /direct-log?key= shows
 *                   the emulator's log of that key's direct-upload requests; /direct.html is its page)
 * Pages: GET /page.html?build=esm|umd|iife (an import map for dist/*.js, the chosen bundle, and
 * test/browser/pages/flows.mjs which exposes `window.flows`).
 * The emulator runs on another port, so every SDK request from a page is a cross-origin (CORS) request.
 */
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { buildVendorModules, importMap } from './vendor.mjs'

export const ROOT = resolve(import.meta.dirname, '../..')

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html; charset=utf-8', '.map': 'application/json', '.json': 'application/json' }
/** Folders the static server may serve from (relative to the project root). */
const STATIC = ['dist', 'test/contract', 'test/browser/pages']

/** The direct-upload page: the import map, and test/browser/pages/direct-flows.mjs (`window.direct`). */
function directHtml() {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>nos-sdk direct upload test</title>
<script type="importmap">${JSON.stringify(importMap('/vendor'))}</script>
<script type="module" src="/test/browser/pages/direct-flows.mjs"></script>
</head><body><h1>direct upload</h1><input type="file" id="file"></body></html>`
}

function pageHtml(build) {
  const script = { umd: '/dist/nos-sdk.umd.min.js', iife: '/dist/nos-sdk.global.min.js' }[build]
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>nos-sdk browser test (${build})</title>
<script type="importmap">${JSON.stringify(importMap('/vendor'))}</script>
${script ? `<script src="${script}"></script><script src="/dist/nos-sdk.direct-upload.min.js"></script>` : ''}
<script type="module" src="/test/browser/pages/flows.mjs?build=${build}"></script>
</head><body><h1>nos-sdk (${build})</h1></body></html>`
}

const LOGIN_PAGE = '<!doctype html><html><head><title>Sign in</title></head><body>Please sign in</body></html>'

/** Signing endpoints gone wrong, as a misconfigured backend answers: a login page, a redirect to it, a 500. */
function brokenSigner(path) {
  const html = (status, body, headers = {}) => new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers } })
  if (path === '/signer/html' || path === '/signer/login') return html(200, LOGIN_PAGE)
  if (path === '/signer/redirect') return new Response(null, { status: 302, headers: { location: '/signer/login?next=%2Fsign' } })
  if (path === '/signer/500') return html(500, '<html><body><h1>Internal Server Error</h1></body></html>')
  return undefined
}

async function toRequest(req, base) {
  const chunks = []
  for await (const c of req) chunks.push(c)
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks)
  return new Request(new URL(req.url, base), { method: req.method, headers: req.headers, body })
}

async function writeResponse(res, response) {
  res.writeHead(response.status, Object.fromEntries(response.headers))
  res.end(Buffer.from(await response.arrayBuffer()))
}

/**
 * @param {{ endpoint: string, accessKeyId: string, accessKeySecret: string,
 *           signPolicy: import('../../src/signing/signing-policy.js').SigningPolicy, presignBuckets: string[],
 *           tokenPolicy: import('../../src/signing/upload-token-handler.js').UploadTokenPolicy,
 *           requests: import('../../src/emulator/index.js').RequestLogEntry[] }} o
 */
export async function startTestServer(o) {
  const NOS = await import(pathToFileURL(join(ROOT, 'dist/index.js')).href)
  const vendor = await buildVendorModules()
  const sign = NOS.createSigningHandler(o.accessKeySecret, o.signPolicy)
  const tokens = NOS.createUploadTokenHandler({ accessKeyId: o.accessKeyId, accessKeySecret: o.accessKeySecret }, o.tokenPolicy)
  const client = new NOS.NosClient({ endpoint: o.endpoint, accessKeyId: o.accessKeyId, accessKeySecret: o.accessKeySecret })
  const signLog = []

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1')
      const path = decodeURIComponent(url.pathname)
      if (path === '/sign' && req.method === 'POST') {
        const response = await sign(await toRequest(req, 'http://127.0.0.1'))
        signLog.push(response.status)
        return writeResponse(res, response)
      }
      if (path === '/sign-log') return writeResponse(res, Response.json(signLog))
      const broken = brokenSigner(path)
      if (broken) return writeResponse(res, broken)
      if (path === '/upload-token' && req.method === 'POST') return writeResponse(res, await tokens(await toRequest(req, 'http://127.0.0.1')))
      if (path === '/direct-log') {
        // The emulator's log of one key's direct-upload requests, oldest first (the spec's proof of what was sent).
        const key = url.searchParams.get('key')
        const entries = o.requests.filter((r) => r.key === key && (r.op === 'directUpload' || r.op === 'directQueryOffset'))
        return writeResponse(res, Response.json(entries.map(({ op, status, bytesIn, query }) => ({ op, status, bytesIn, query }))))
      }
      if (path === '/direct.html') return writeResponse(res, new Response(directHtml(), { headers: { 'content-type': TYPES['.html'] } }))
      if (path === '/presign') {
        const bucket = url.searchParams.get('bucket') ?? o.presignBuckets[0]
        if (!o.presignBuckets.includes(bucket)) return writeResponse(res, Response.json({ error: 'bucket not allowed' }, { status: 403 }))
        const key = url.searchParams.get('key') ?? ''
        const contentType = url.searchParams.has('untyped') ? undefined : (url.searchParams.get('type') ?? 'application/octet-stream')
        const put = await client.presignRequest({ method: 'PUT', bucket, key, contentType, expires: 300 })
        const get = await client.presignUrl({ bucket, key, expires: 300 })
        return writeResponse(res, Response.json({ put, get }))
      }
      if (path === '/page.html') {
        return writeResponse(res, new Response(pageHtml(url.searchParams.get('build') ?? 'esm'), { headers: { 'content-type': TYPES['.html'] } }))
      }
      if (path.startsWith('/vendor/') && vendor.has(path.slice('/vendor/'.length))) {
        return writeResponse(res, new Response(vendor.get(path.slice('/vendor/'.length)), { headers: { 'content-type': TYPES['.js'] } }))
      }
      const file = normalize(join(ROOT, path))
      const allowed = STATIC.some((dir) => file.startsWith(join(ROOT, dir) + sep))
      if (!allowed || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' })
        return res.end(`not found: ${path}`)
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' })
      createReadStream(file).pipe(res)
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(String(e?.stack ?? e))
    }
  })
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  }
}
