/** Headless Debian Chromium through playwright-core (no browser download; CONTRIBUTING.md#set-up). */
import { build } from 'esbuild'
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
]

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })
}

/** Bundles a browser entry into one IIFE script (kept in memory). */
export async function bundle(entry: string): Promise<string> {
  const out = await build({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, logLevel: 'error' })
  return out.outputFiles[0]!.text
}
