/**
 * examples/browser-token: its own server (examples/browser-token/server.mjs, started here against the emulator) and
 * its page, driven like a user: pick a file, watch the progress bar. The page loads nos-sdk's direct-upload bundle
 * from the example server, gets a token from it, and talks to nothing but that server and NOS (LBS and edge node).
 */
import { createHash } from 'node:crypto'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { test } from '@playwright/test'
import { expect, recordProgress, testEnv, watchPage } from './fixtures.js'
import { randomBytes } from '../helpers/random-bytes.js'

const ROOT = resolve(import.meta.dirname, '../..')
const SIZE = 3 * 1024 * 1024 + 3

test('examples/browser-token: token from the server, direct upload with a progress bar, object byte-exact', async ({ page }) => {
  const { endpoint, accessKeyId, accessKeySecret } = testEnv()
  const origins = new Set<string>()
  page.on('request', (r) => void origins.add(new URL(r.url()).origin))
  // Record every value the progress bar is given.
  const progressValues = await recordProgress(page)

  const { startServer } = await import(pathToFileURL(join(ROOT, 'examples/browser-token/server.mjs')).href)
  const server = await startServer({ accessKeyId, accessKeySecret, bucket: 'uploads', lbsEndpoint: `${endpoint}/lbs` })
  try {
    const problems = watchPage(page)
    await page.goto(`${server.url}/`)
    await expect(page.locator('#status')).toHaveText('Pick a file.')
    const bytes = Buffer.from(randomBytes(SIZE, 17))
    const name = `clip-${Date.now()}.mp4`
    await page.locator('#file').setInputFiles({ name, mimeType: 'video/mp4', buffer: bytes })

    const md5 = createHash('md5').update(bytes).digest('hex')
    await expect(page.locator('#status')).toHaveText(`Uploaded browser-direct/${name} (ETag ${md5})`, { timeout: 30_000 })
    expect(problems).toEqual([])
    const values = await progressValues()
    expect(values[0]).toBe(0)
    expect(values.at(-1)).toBe(SIZE)
    expect(values.filter((v) => v > 0 && v < SIZE).length).toBeGreaterThanOrEqual(3)
    expect([...origins].sort()).toEqual([server.url, endpoint].sort())

    const NOS = await import(pathToFileURL(join(ROOT, 'dist/index.js')).href)
    const client = new NOS.NosClient({ endpoint, accessKeyId, accessKeySecret })
    const got = await client.getObject({ bucket: 'uploads', key: `browser-direct/${name}` })
    expect(got.contentType).toBe('video/mp4')
    expect(Buffer.compare(await got.bytes(), bytes)).toBe(0)
  } finally {
    await server.close()
  }
})
