/**
 * Playwright global setup: one emulator (CORS permissive, plus per-bucket CORS rules set through the SDK's
 * putBucketCors) and the test backend (test/browser/server.mjs), both on 127.0.0.1 port 0. Their addresses
 * reach the test workers through process.env. The returned function is the global teardown.
 *
 * Buckets:
 *   contract  permissive CORS (no rule of its own): the contract suite from pages
 *   uploads   permissive CORS: presigned PUT/GET, the browser example
 *   nosecret  a rule for the page's origin exposing ETag and x-nos-request-id: remoteSigner uploads
 *   strict    a rule exposing only x-nos-request-id (no ETag): CorsExposeHeaderError
 *   reads     a rule exposing ETag and x-nos-meta-owner, not x-nos-request-id: what a read reports as hidden
 *   readsprop rules set by the page itself (a property over ExposeHeader lists)
 *   direct    direct upload with tokens from the backend's /upload-token (keys under direct/)
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, startTestServer } from './server.mjs'

export const CREDENTIALS = { accessKeyId: 'browserAccessKey', accessKeySecret: 'browserSecretKey0123456789' }
const BUCKETS = ['contract', 'uploads', 'nosecret', 'strict', 'direct', 'reads', 'readsprop']

export default async function globalSetup() {
  for (const f of ['dist/index.js', 'dist/browser.js', 'dist/nos-sdk.umd.min.js', 'dist/nos-sdk.global.min.js', 'dist/emulator.js']) {
    if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: run \`npm run build\` first (npm test does)`)
  }
  const { startEmulator } = await import(pathToFileURL(join(ROOT, 'dist/emulator.js')).href)
  const NOS = await import(pathToFileURL(join(ROOT, 'dist/index.js')).href)
  // Parts sent to `nosecret` take 800 ms more, so that the page's upload concurrency is visible even when the
  // page's MD5 work (CPU-bound on 2 cores) would otherwise serialize the parts.
  const faults = { rules: [{ match: { op: 'uploadPart', bucket: 'nosecret' }, action: 'delay', delayMs: 800 }] }
  const emu = await startEmulator({ port: 0, credentials: [CREDENTIALS], buckets: BUCKETS, cors: 'permissive', faults })
  const server = await startTestServer({
    endpoint: emu.endpoint,
    ...CREDENTIALS,
    presignBuckets: ['uploads', 'strict'],
    signPolicy: { buckets: ['nosecret'], keyPrefixes: ['uploads/'], methods: ['PUT', 'POST', 'DELETE', 'GET', 'HEAD'], maxExpires: 600 },
    tokenPolicy: { buckets: ['direct'], keyPrefixes: ['direct/'], maxSize: 64 * 1024 * 1024, expires: 600 },
    requests: emu.requests,
  })

  // Bucket CORS rules, set the way an operator would: with the SDK, from a server.
  const admin = new NOS.NosClient({ endpoint: emu.endpoint, ...CREDENTIALS })
  const methods = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD']
  await admin.putBucketCors({ bucket: 'nosecret', rules: [{ allowedOrigins: [server.url], allowedMethods: methods, allowedHeaders: ['*'], exposeHeaders: ['ETag', 'x-nos-request-id'], maxAgeSeconds: 600 }] })
  await admin.putBucketCors({ bucket: 'strict', rules: [{ allowedOrigins: ['*'], allowedMethods: methods, allowedHeaders: ['*'], exposeHeaders: ['x-nos-request-id'] }] })
  await admin.putBucketCors({ bucket: 'reads', rules: [{ allowedOrigins: ['*'], allowedMethods: methods, allowedHeaders: ['*'], exposeHeaders: ['ETag', 'x-nos-meta-owner'] }] })
  // Objects with metadata for the browser reads, written from the server side.
  for (const bucket of ['strict', 'reads']) await admin.putObject({ bucket, key: 'doc.txt', body: 'readable', metadata: { owner: 'u42', project: 'p7' } })

  Object.assign(process.env, {
    NOS_TEST_BASE_URL: server.url,
    NOS_TEST_ENDPOINT: emu.endpoint,
    NOS_TEST_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    NOS_TEST_ACCESS_KEY_SECRET: CREDENTIALS.accessKeySecret,
  })
  return async () => {
    await server.close()
    await emu.close()
  }
}
