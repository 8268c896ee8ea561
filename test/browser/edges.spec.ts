/**
 * Edges seen in Chromium, tested there: upload() Content-Types through the UMD bundle, putPresigned and the
 * Content-Type a browser adds, reads through CORS rules that hide headers, and a signing endpoint gone wrong. The page side is test/browser/pages/edge-flows.mjs; the buckets and their CORS rules
 * are set in global-setup.mjs.
 */
import { test } from '@playwright/test'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, flow, openFlows, testEnv } from './fixtures.js'

test('item 1: upload() stores the type of a File and of JSON, single PUT and multipart, as putObject (UMD bundle)', async ({ page }) => {
  const problems = await openFlows(page, 'umd')
  const { endpoint, accessKeyId, accessKeySecret } = testEnv()
  const r = await flow(page, 'uploadContentType', { endpoint, accessKeyId, accessKeySecret })
  expect(problems).toEqual([])
  expect(r.umd).toBe(true)
  expect(r.multiParts).toBeGreaterThan(1)
  expect(r.types).toEqual({
    'put.svg': 'image/svg+xml', 'one.svg': 'image/svg+xml', 'multi.svg': 'image/svg+xml',
    'put.json': 'application/json', 'one.json': 'application/json', 'multi.json': 'application/json',
  })
})

test('item 3: putPresigned sends exactly the signed Content-Type (none: an untyped body); a mismatch says how to presign', async ({ page }) => {
  await openFlows(page, 'esm')
  const r = await flow(page, 'presignedContentType', {})
  // The defect: a File PUT as it is to a URL signed without a type carries the File's type.
  expect(r.plainFetch).toBe(403)
  for (const name of ['xhrFile', 'fetchFile']) expect(r[name], name).toEqual({ status: 200, storedType: 'application/octet-stream', size: 2048 })
  expect(r.xhrString).toEqual({ status: 200, storedType: 'application/octet-stream', size: 5 })
  expect(r.fetchBytes).toEqual({ status: 200, storedType: 'application/octet-stream', size: 10 })
  expect(r.typed).toBe('image/webp')
  for (const name of ['mismatchXhr', 'mismatchFetch']) {
    const e = r[name]
    expect(e, name).toMatchObject({ name: 'ForbiddenError', statusCode: 403, errorCode: 'SignatureDoesNotMatch', isNosException: true })
    expect(e.message).toContain('putPresigned sent no Content-Type, exactly the one it was told the URL was signed with')
    expect(e.message).toContain('pass the whole presignRequest() result (url and headers), not the URL alone')
    expect(e.message).toContain('presign with contentType: file.type')
  }
})

test('item 4: reads through a CORS rule that hides headers: CorsExposeHeaderError for ETag, hidden headers and incomplete metadata reported', async ({ page }) => {
  await openFlows(page, 'esm')
  const { endpoint, accessKeyId, accessKeySecret } = testEnv()
  const r = await flow(page, 'corsReads', { endpoint, accessKeyId, accessKeySecret })
  for (const [op, e] of [['headObject', r.strictHead], ['getObject', r.strictGet]]) {
    expect(e, op).toMatchObject({ name: 'CorsExposeHeaderError', statusCode: 200, kinds: ['CorsExposeHeaderError'] })
    expect(e.message).toContain('/strict/doc.txt: the response has no readable ETag header')
    expect(e.message).toContain(`Add "ETag" (and "x-nos-request-id") to the rule's ExposeHeader; reads also need "x-nos-meta-<name>" for each metadata name the page reads`)
  }
  // ETag and x-nos-meta-owner exposed, x-nos-request-id and x-nos-meta-project not.
  for (const side of ['head', 'get']) {
    expect(r.reads[side], side).toMatchObject({ requestId: '', metadata: { owner: 'u42' }, metadataComplete: false, hiddenHeaders: ['x-nos-request-id'] })
    expect(r.reads[side].etag).toMatch(/^[0-9a-f]{32}$/)
  }
  expect(r.reads.get.text).toBe('readable')
  // Everything exposed: nothing hidden, yet the page still cannot know it saw every metadata name.
  expect(r.permissive.head).toMatchObject({ metadata: { owner: 'u42' }, metadataComplete: false, hiddenHeaders: [] })
  expect(r.permissive.head.requestId).toMatch(/^[0-9a-f]{32}$/)
})

test('item 8: remoteSigner errors in a page: login page, redirect, 500 (SigningPolicyError saying what came back), unreachable (ConnectionError)', async ({ page }) => {
  // A port nothing listens on: a server that was closed.
  const closed = createServer()
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
  const unreachable = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/sign`
  await new Promise<void>((r) => closed.close(() => r()))
  await openFlows(page, 'esm')
  const { endpoint, accessKeyId } = testEnv()
  const r = await flow(page, 'signerErrors', { endpoint, accessKeyId, unreachable })
  expect(r.html).toMatchObject({ name: 'SigningPolicyError', statusCode: 200, isNosException: true })
  expect(r.html.message).toBe(`the signing endpoint did not answer JSON: the signing endpoint /signer/html answered HTTP 200 OK (text/html; charset=utf-8): "<!doctype html><html><head><title>Sign in</title></head><body>Please sign in</body></html>"`)
  expect(r.redirect).toMatchObject({ name: 'SigningPolicyError', statusCode: 200 })
  expect(r.redirect.message).toContain(`the signing endpoint redirected (a login page? the session may have expired): the signing endpoint /signer/redirect answered HTTP 200 OK (text/html; charset=utf-8), after a redirect to ${r.origin}/signer/login?next=%2Fsign`)
  expect(r.error500).toMatchObject({ name: 'SigningPolicyError', statusCode: 500 })
  expect(r.error500.message).toContain('answered HTTP 500 Internal Server Error (text/html; charset=utf-8): "<html><body><h1>Internal Server Error</h1></body></html>"')
  expect(r.unreachable).toMatchObject({ name: 'ConnectionError', isNosException: true, kinds: ['ConnectionError'] })
  expect(r.unreachable.message).toBe(`the signing endpoint ${unreachable} could not be reached: Failed to fetch`)
})

test('property (items 3 and 4 as classes): any body, signed type, form and transport stores the signed type; any ExposeHeader list is reported exactly', async ({ page }) => {
  await openFlows(page, 'esm')
  const { endpoint, accessKeyId, accessKeySecret } = testEnv()
  expect(await flow(page, 'presignedProperty', { runs: 40 })).toBe('ok')
  expect(await flow(page, 'corsReadsProperty', { endpoint, accessKeyId, accessKeySecret, runs: 40 })).toBe('ok')
})
