/** Shared pieces of the browser specs: the addresses global-setup.mjs published, and page helpers. */
import { expect, type Page } from '@playwright/test'

export function testEnv() {
  const get = (name: string) => {
    const v = process.env[name]
    if (!v) throw new Error(`${name} is not set: run the browser tests through playwright.config.ts (globalSetup starts the servers)`)
    return v
  }
  return {
    base: get('NOS_TEST_BASE_URL'),
    endpoint: get('NOS_TEST_ENDPOINT'),
    accessKeyId: get('NOS_TEST_ACCESS_KEY_ID'),
    accessKeySecret: get('NOS_TEST_ACCESS_KEY_SECRET'),
  }
}

/** Page errors and console errors, to explain a failure. */
export function watchPage(page: Page): string[] {
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    // Chromium logs every 4xx response as an error; the specs provoke some on purpose (and assert them).
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource:')) problems.push(`console.error: ${m.text()}`)
  })
  return problems
}

/**
 * Records every value the page gives a `<progress>` element, from its first script on; call before `page.goto`.
 * Resolves with a reader of the values recorded so far.
 */
export async function recordProgress(page: Page): Promise<() => Promise<number[]>> {
  await page.addInitScript(() => {
    const d = Object.getOwnPropertyDescriptor(HTMLProgressElement.prototype, 'value')!
    const seen: number[] = ((window as unknown as { progressValues: number[] }).progressValues = [])
    Object.defineProperty(HTMLProgressElement.prototype, 'value', {
      get() { return d.get!.call(this) },
      set(v: number) { seen.push(v); d.set!.call(this, v) },
    })
  })
  return () => page.evaluate(() => (window as unknown as { progressValues: number[] }).progressValues)
}

/** Opens /page.html?build=... and waits until test/browser/pages/flows.mjs is ready. */
export async function openFlows(page: Page, build: 'esm' | 'umd' | 'iife' = 'esm'): Promise<string[]> {
  const problems = watchPage(page)
  await page.goto(`${testEnv().base}/page.html?build=${build}`)
  await page.waitForFunction(() => 'flows' in window, undefined, { timeout: 15_000 }).catch((e) => {
    throw new Error(`the page did not load flows.mjs: ${problems.join('; ') || e}`)
  })
  return problems
}

/** Runs `window.flows[name](arg)` in the page. */
export function flow<T = any>(page: Page, name: string, arg: unknown): Promise<T> {
  return page.evaluate(([n, a]) => (window as unknown as { flows: Record<string, (x: unknown) => Promise<unknown>> }).flows[n as string]!(a), [name, arg] as const) as Promise<T>
}

export { expect }
