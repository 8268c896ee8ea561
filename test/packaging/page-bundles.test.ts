/**
 * What the `<script>` bundles leave out to stay within their budget (scripts/page-bundle-plugin.mjs) must not change
 * what they do: a response with a DOCTYPE is an `XmlParseError`, never a silently different parse; the bundles hash
 * with the JavaScript MD5; fast-xml-parser's validator and number parser are not in them. Needs `npm run build`.
 * The parse itself goes through scripts/fxp-parser-slim.cjs (a listing here; every error document of the contract
 * suite in the runtimes that load these bundles; test/unit/fxp-parser-slim.test.ts compares it with fast-xml-parser).
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'

const DIST = resolve(import.meta.dirname, '../../dist')
const WEB_GLOBALS = ['crypto', 'TextEncoder', 'TextDecoder', 'btoa', 'atob', 'URL', 'URLSearchParams', 'fetch', 'Headers', 'Request',
  'Response', 'Blob', 'ReadableStream', 'AbortController', 'AbortSignal', 'DOMException', 'setTimeout', 'clearTimeout', 'queueMicrotask'] as const

/** The global `NOS` of a bundle run in a context with web globals only. */
function load(file: string): Record<string, any> {
  const sandbox: Record<string, unknown> = {}
  for (const name of WEB_GLOBALS) sandbox[name] = (globalThis as Record<string, unknown>)[name]
  const context = vm.createContext(sandbox)
  vm.runInContext(readFileSync(join(DIST, file), 'utf8'), context)
  return vm.runInContext('NOS', context) as Record<string, any>
}

/** A fetch that answers every request with `body` as XML. */
const answering = (body: string) => async () => new Response(body, { status: 200, headers: { 'content-type': 'application/xml' } })

const LISTING = '<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated><Contents><Key>k</Key><Size>1</Size></Contents></ListBucketResult>'

describe('the <script> bundles', () => {
  it('refuse a response with a DOCTYPE as XmlParseError (entities it declares are never expanded)', async () => {
    const NOS = load('nos-sdk.global.min.js')
    const ok = new NOS.NosClient({ fetch: answering(LISTING), maxRetries: 0 })
    expect((await ok.listObjects({ bucket: 'bkt' })).contents.map((c: { key: string }) => c.key)).toEqual(['k'])
    const hostile = `<?xml version="1.0"?><!DOCTYPE ListBucketResult [<!ENTITY k "injected">]>${LISTING.replace('<Key>k</Key>', '<Key>&k;</Key>')}`
    const client = new NOS.NosClient({ fetch: answering(hostile), maxRetries: 0 })
    const error = await client.listObjects({ bucket: 'bkt' }).then(() => undefined, (e: unknown) => e)
    expect(NOS.isNosErrorKind(error, 'XmlParseError'), String(error)).toBe(true)
    expect(String((error as Error).message)).toMatch(/DOCTYPE/)
  })

  it('hash with the JavaScript MD5, and carry neither fast-xml-parser\'s validator nor its number parser', async () => {
    const NOS = load('nos-sdk.global.min.js')
    expect(new NOS.NosClient().config.md5).toBe(NOS.createJsMd5)
    expect(await NOS.md5Hex(new Blob(['hello']))).toBe('5d41402abc4b2a76b9719d911017c592')
    const code = readFileSync(join(DIST, 'nos-sdk.global.min.js'), 'utf8')
    // Strings only the left-out modules hold: the validator's messages, strnum's hex handling, util's XML-name ranges.
    expect(code).not.toMatch(/InvalidAttr|InvalidXml|0x\[a-fA-F0-9\]|u00C0-/)
    expect(code).toMatch(/DOCTYPE is not supported in NOS responses/)
  })

  it('the direct-upload bundle hashes with the JavaScript MD5 too (no spark-md5)', () => {
    const code = readFileSync(join(DIST, 'nos-sdk.direct-upload.min.js'), 'utf8')
    expect(code).not.toMatch(/SparkMD5|hashBinary/)
  })
})
