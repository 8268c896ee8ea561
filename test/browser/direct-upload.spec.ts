/**
 * Direct upload in Chromium (docs/protocol.md#direct-upload): a page gets an upload token from its backend
 * (createUploadTokenHandler), uploads a 20 MiB File with progress, reloads itself in the middle of a chunk,
 * and, once the same file is picked again, resumes from localStorage sending only the rest (the emulator's
 * request log proves it). The object is byte-exact.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { test, type Page } from '@playwright/test'
import { pseudoRandomBytes } from '../contract/suite.mjs'
import { expect, testEnv, watchPage } from './fixtures.js'

const ROOT = resolve(import.meta.dirname, '../..')
const MiB = 1024 * 1024
const SIZE = 20 * MiB + 5

interface LogEntry {
  op: string
  status: number
  bytesIn: number
  query: string
}

async function openDirectPage(page: Page): Promise<void> {
  await page.goto(`${testEnv().base}/direct.html`)
  await page.waitForFunction(() => 'direct' in window, undefined, { timeout: 15_000 })
}

test('direct upload of a 20 MiB File: progress, a reload mid-chunk, resume from localStorage with only the rest sent', async ({ page }) => {
  const { base, endpoint, accessKeyId, accessKeySecret } = testEnv()
  const dir = await mkdtemp(join(tmpdir(), 'nos-direct-page-'))
  const file = join(dir, 'holiday video.bin')
  const bytes = pseudoRandomBytes(SIZE, 61)
  await writeFile(file, bytes)
  const key = `direct/${Date.now()}-holiday video.bin`
  const args = { key, lbsEndpoint: `${endpoint}/lbs` }
  const problems = watchPage(page)
  try {
    await openDirectPage(page)
    await page.locator('#file').setInputFiles(file)
    // The page reloads itself once 6 MiB were reported: the chunk in flight is cut off.
    const reloaded = page.waitForEvent('load')
    await page.evaluate((a) => void (window as any).direct.upload(a).catch(() => {}), { ...args, reloadAt: 6 * MiB })
    await reloaded
    await page.waitForFunction(() => 'direct' in window)
    const [cp] = await page.evaluate(() => (window as any).direct.checkpoints())
    expect(cp).toMatchObject({ kind: 'direct', bucket: 'direct', key, size: SIZE })
    expect(cp.offset).toBeGreaterThanOrEqual(5 * MiB)
    expect(cp.offset).toBeLessThan(SIZE)

    // The user picks the same file again.
    await page.locator('#file').setInputFiles(file)
    const { result, events } = await page.evaluate((a) => (window as any).direct.upload(a), args)
    expect(result).toMatchObject({ bucket: 'direct', key, size: SIZE, resumed: true, etag: createHash('md5').update(bytes).digest('hex') })
    const resumedAt = events[0].confirmed
    expect(resumedAt).toBeGreaterThanOrEqual(cp.offset)
    expect(result.bytesSent).toBe(SIZE - resumedAt)
    // Progress: from the resume point to the end, never backwards, and byte-level: XMLHttpRequest reports bytes of
    // each chunk before NOS acknowledges it (at least once per chunk, when its body is sent), which fetch cannot.
    expect(events[0].loaded).toBe(resumedAt)
    expect(events.at(-1)).toEqual({ loaded: SIZE, confirmed: SIZE, total: SIZE })
    for (let i = 1; i < events.length; i++) expect(events[i].loaded).toBeGreaterThanOrEqual(events[i - 1].loaded)
    const inFlight = events.filter((e: { loaded: number; confirmed: number }) => e.loaded > e.confirmed)
    expect(inFlight.length).toBeGreaterThanOrEqual(Math.ceil((SIZE - resumedAt) / MiB))
    expect(await page.evaluate(() => (window as any).direct.checkpoints())).toEqual([])

    // The emulator's log: after the offset query, chunks carrying exactly the bytes that were missing.
    const log = (await (await fetch(`${base}/direct-log?key=${encodeURIComponent(key)}`)).json()) as LogEntry[]
    const query = log.findIndex((e) => e.op === 'directQueryOffset')
    expect(log[query]).toMatchObject({ status: 200 })
    const after = log.slice(query + 1)
    expect(after.every((e) => e.op === 'directUpload' && e.status === 200)).toBe(true)
    expect(after.reduce((n, e) => n + e.bytesIn, 0)).toBe(SIZE - resumedAt)

    const NOS = await import(pathToFileURL(join(ROOT, 'dist/index.js')).href)
    const client = new NOS.NosClient({ endpoint, accessKeyId, accessKeySecret })
    const stored = await (await client.getObject({ bucket: 'direct', key })).bytes()
    expect(Buffer.compare(stored, bytes)).toBe(0)
    expect(problems).toEqual([])
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
