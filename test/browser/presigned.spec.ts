/**
 * Presigned uploads from a page: the backend (test/browser/server.mjs, the SDK in Node) presigns a PUT with the
 * Content-Type pinned and a GET; the page uploads a File with plain fetch and with `putPresigned` (progress
 * events through XMLHttpRequest), downloads it and compares the bytes. No credentials in the page.
 */
import { test } from '@playwright/test'
import { expect, flow, openFlows } from './fixtures.js'

const SIZE = 3 * 1024 * 1024 + 17

test('presigned PUT of a File (fetch and putPresigned with progress), GET, same bytes', async ({ page }) => {
  const problems = await openFlows(page, 'esm')
  const r = await flow(page, 'presigned', { size: SIZE })
  expect(problems).toEqual([])

  // Query-string auth with an expiry: nothing a page cannot send (no Date header, no Authorization).
  for (const url of [r.urls.put, r.urls.get]) expect(url).toMatch(/[?&]NOSAccessKeyId=[^&]+&Expires=\d+&Signature=[^&]+|[?&]Expires=\d+/)
  expect(r.urls.headers).toEqual({ 'Content-Type': 'image/png' })

  expect(r.plain).toMatchObject({ status: 200, getStatus: 200, contentType: 'image/png', same: true })
  expect(r.plain.etag.replace(/"/g, '')).toBe(r.md5)

  expect(r.xhr.status).toBe(200)
  expect(r.xhr.etag).toBe(r.md5)
  expect(r.xhr.etagReadable).toBe(true)
  expect(r.xhr.same).toBe(true)
  expect(r.xhr.events).toBeGreaterThanOrEqual(1)
  expect(r.xhr.last).toEqual({ loaded: SIZE, total: SIZE })
  expect(r.xhr.monotonic).toBe(true)

  expect(r.fetch).toMatchObject({ status: 200, etagReadable: true, same: true })
  expect(r.fetch.etag).toMatch(/^[0-9a-f]{32}$/)

  expect(r.wrongType).toMatchObject({ name: 'ForbiddenError', statusCode: 403, errorCode: 'SignatureDoesNotMatch' })
})
