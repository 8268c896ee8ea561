/**
 * CORS made obvious: the bucket `strict` has a CORS rule (set with putBucketCors in global-setup.mjs) that lets
 * the page send requests but does not expose ETag. The browser then hides ETag from the SDK, and instead of a
 * silent empty ETag (which would break multipart uploads) the SDK throws CorsExposeHeaderError naming the rule.
 */
import { test } from '@playwright/test'
import { expect, flow, openFlows, testEnv } from './fixtures.js'

const RULE = "exposeHeaders: ['ETag', 'x-nos-request-id']"

test('a CORS rule without ExposeHeader ETag: CorsExposeHeaderError that names the rule to add', async ({ page }) => {
  await openFlows(page, 'esm')
  const { endpoint, accessKeyId, accessKeySecret } = testEnv()
  const r = await flow(page, 'corsStrict', { endpoint, accessKeyId, accessKeySecret })

  for (const [op, resource] of [['putObject', '/strict/cors%2Fa.txt'], ['uploadPart', '/strict/cors%2Fm.bin?partNumber=1'], ['upload', '/strict/cors%2Fu.bin?partNumber=']] as const) {
    const e = r[op]
    expect(e, op).toMatchObject({ name: 'CorsExposeHeaderError', kind: true, clientException: true, statusCode: 200 })
    expect(e.message, op).toContain('the response has no readable ETag header')
    expect(e.message, op).toContain(`Add "ETag" (and "x-nos-request-id") to the rule's ExposeHeader`)
    expect(e.message, op).toContain(`client.putBucketCors({ bucket, rules: [{ allowedOrigins: [location.origin]`)
    expect(e.message, op).toContain(RULE)
    expect(e.message.startsWith(resource), `${op}: ${e.message.slice(0, 80)}`).toBe(true)
  }
  expect(r.pendingAfterUpload).not.toContain('cors/u.bin')

  // putPresigned: the upload itself succeeded; the result and a console warning say the ETag was hidden.
  expect(r.presigned).toMatchObject({ status: 200, etag: '', etagReadable: false })
  expect(r.presigned.warnings.join('\n')).toContain(RULE)
})
