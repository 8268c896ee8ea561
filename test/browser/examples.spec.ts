/**
 * examples/browser: its own tiny server (examples/browser/server.mjs, started here against the emulator) and its
 * page, driven like a user: pick a file, watch the progress bar, follow the download link. The page loads the
 * UMD bundle from the example server (`NOS.putPresigned`) and nothing from any other origin but NOS.
 */
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { test } from '@playwright/test'
import { expect, recordProgress, testEnv, watchPage } from './fixtures.js'
import { randomBytes } from '../helpers/random-bytes.js'

const ROOT = resolve(import.meta.dirname, '../..')
const SIZE = 2 * 1024 * 1024 + 3

test('examples/browser: presigned upload with a progress bar, then the download link', async ({ page }) => {
  const { endpoint, accessKeyId, accessKeySecret } = testEnv()

  // Nothing but the example server and NOS (the emulator): no CDN, no other origin.
  const origins = new Set<string>()
  page.on('request', (r) => void origins.add(new URL(r.url()).origin))

  // Record every value the progress bar is given.
  const progressValues = await recordProgress(page)

  const { startServer } = await import(pathToFileURL(join(ROOT, 'examples/browser/server.mjs')).href)
  const server = await startServer({ endpoint, accessKeyId, accessKeySecret, bucket: 'uploads' })
  try {
    const problems = watchPage(page)
    await page.goto(`${server.url}/`)
    await expect(page.locator('#status')).toHaveText('Pick a file.')

    const bytes = Buffer.from(randomBytes(SIZE, 31))
    await page.locator('#file').setInputFiles({ name: 'holiday photo.png', mimeType: 'image/png', buffer: bytes })

    await expect(page.locator('#status')).toHaveText(/^Uploaded browser-uploads\/\d+-holiday photo\.png \(ETag [0-9a-f]{32}\)$/, { timeout: 30_000 })
    expect(problems).toEqual([])
    const values = await progressValues()
    expect(values[0]).toBe(0)
    expect(values.at(-1)).toBe(SIZE)
    expect(values.some((v) => v > 0 && v <= SIZE)).toBe(true)
    expect(await page.locator('#progress').evaluate((p: HTMLProgressElement) => [p.value, p.max])).toEqual([SIZE, SIZE])

    const href = await page.locator('#link').getAttribute('href')
    await expect(page.locator('#link')).toBeVisible()
    const res = await fetch(href!)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true)
    expect([...origins].sort()).toEqual([server.url, endpoint].sort())
  } finally {
    await server.close()
  }
})
