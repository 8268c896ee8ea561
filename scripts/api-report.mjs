#!/usr/bin/env node
/**
 * The public API report: one API Extractor report per package entry, committed in api/ (`api/<entry>.api.md`), so
 * that any change to what users can import shows up in review as a diff of those files.
 *
 *   npm run api                          rebuild, then rewrite api/*.api.md from dist/*.d.ts (after a deliberate change)
 *   node scripts/api-report.mjs          check only (the `api` stage of npm test): fails when a report differs
 *
 * Input: the declarations users get, dist/<entry>.d.ts as tsup emits them (shared declarations sit in hashed
 * chunks, which API Extractor follows and rolls into each entry's report, so chunk names never show). Needs
 * `npm run build` first. Warnings about the API itself (a type used by a public signature but not exported,
 * missing release tags) are left out of the reports and the console: the report records the surface, nothing more.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const REPORTS = join(ROOT, 'api')
const TEMP = join(ROOT, 'node_modules', '.cache', 'api-report')
const update = process.argv.includes('--update')

/** package.json export -> the declaration file tsup writes for it. */
const ENTRIES = {
  'nos-sdk': 'index',
  'nos-sdk (node, bun, deno)': 'index-node',
  'nos-sdk/browser': 'browser',
  'nos-sdk/node': 'node',
  'nos-sdk/signer': 'signer',
  'nos-sdk/emulator': 'emulator',
}

mkdirSync(REPORTS, { recursive: true })
const changed = []
for (const [specifier, entry] of Object.entries(ENTRIES)) {
  const dts = join(ROOT, 'dist', `${entry}.d.ts`)
  if (!existsSync(dts)) {
    console.error(`api: ${dts} is missing; run \`npm run build\` first (npm run api does).`)
    process.exit(1)
  }
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: ROOT,
      mainEntryPointFilePath: dts,
      compiler: { overrideTsconfig: { compilerOptions: { lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: ['node'], skipLibCheck: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022' } } },
      apiReport: { enabled: true, reportFileName: `${entry}.api.md`, reportFolder: REPORTS, reportTempFolder: TEMP },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        extractorMessageReporting: { default: { logLevel: 'none', addToApiReportFile: false } },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: join(ROOT, 'package.json'),
  })
  const result = Extractor.invoke(config, {
    localBuild: update,
    // API Extractor's own notices (its TypeScript version, "copy this file") give way to the summary below.
    messageCallback: (message) => {
      if (message.category === 'console' && message.messageId !== 'console-diagnostics') message.handled = true
    },
  })
  if (result.errorCount > 0) {
    console.error(`api: API Extractor failed on ${entry}.d.ts (${result.errorCount} errors)`)
    process.exit(1)
  }
  if (result.apiReportChanged) changed.push({ specifier, entry })
}

if (changed.length === 0) {
  console.log(`api: the public API matches api/*.api.md (${Object.keys(ENTRIES).length} entries)`)
} else if (update) {
  console.log(`api: updated ${changed.map((c) => `api/${c.entry}.api.md`).join(', ')}; commit them with the change`)
} else {
  console.error(`api: the public API differs from the committed report (${changed.map((c) => c.specifier).join(', ')}):\n`)
  // The difference itself, committed report (-) against the API as built now (+).
  const first = changed[0].entry
  const diff = spawnSync('git', ['diff', '--no-index', '--no-color', join(REPORTS, `${first}.api.md`), join(TEMP, `${first}.api.md`)], { encoding: 'utf8' })
  console.error((diff.stdout ?? '').split('\n').slice(4, 60).join('\n'))
  console.error(`If the change is deliberate, run \`npm run api\` and commit api/*.api.md; otherwise undo the change to the exports.`)
  process.exit(1)
}
