/**
 * The contract suite (test/contract/suite.mjs) in Chromium, against the emulator on another origin (CORS), with
 * each build a page can load: the npm ESM build (`dist/index.js`, dependencies through an import map, see
 * vendor.mjs), the UMD bundle and the IIFE bundle (global `NOS`, classic <script>).
 */
import { test } from '@playwright/test'
import { CONTRACT_CHECKS } from '../contract/suite.mjs'
import { expect, flow, openFlows, testEnv } from './fixtures.js'

const BUILDS = {
  esm: 'ESM build dist/index.js via <script type="module"> + import map',
  umd: 'UMD bundle dist/nos-sdk.umd.min.js via <script> (global NOS)',
  iife: 'IIFE bundle dist/nos-sdk.global.min.js via <script> (global NOS)',
} as const

for (const [build, label] of Object.entries(BUILDS) as [keyof typeof BUILDS, string][]) {
  test(`contract suite: ${label}`, async ({ page }) => {
    const problems = await openFlows(page, build)
    const { endpoint, accessKeyId, accessKeySecret } = testEnv()
    const r = await flow(page, 'contract', { endpoint, accessKeyId, accessKeySecret, bucket: 'contract' })
    expect(r.failures, `${r.failures.map((f: { name: string; error: string }) => `${f.name}: ${f.error}`).join('\n')}\n${problems.join('\n')}`).toEqual([])
    expect(r.names).toEqual([...CONTRACT_CHECKS])
    expect(r.failed).toBe(0)
    expect(r.passed).toBe(CONTRACT_CHECKS.length)
    expect(r.build).toBe(build)
    // Browser defaults: pages cannot set Date (x-nos-date instead) nor stream request bodies over HTTP/1.1.
    expect(r.isBrowserLike).toBe(true)
    expect(r.useNosDate).toBe(true)
    expect(r.streamRequestBodies).toBe(false)
  })
}
