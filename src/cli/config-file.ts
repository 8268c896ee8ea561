/**
 * The JSON config file (`--config FILE`, default `~/.nos-sdk/config.json`):
 * `{ "accessKeyId": "...", "accessKeySecret": "...", "endpoint": "..." }`. Read only when a flag or the
 * environment leaves a value missing (config.ts). A UTF-8 byte order mark is accepted; a syntax error names the
 * file, line and column without quoting the file (it holds the secret); unknown keys are ignored with a warning
 * naming the expected ones; a file that holds the secret and that other users may read gets a warning, as ssh
 * gives for a private key.
 * @module
 */
import { readFileSync, statSync } from 'node:fs'
import { UsageError } from './errors.js'
import { jsonSyntaxError } from './json-locate.js'

/** The keys a config file may hold. */
export const CONFIG_KEYS = ['accessKeyId', 'accessKeySecret', 'endpoint'] as const
export type ConfigKey = (typeof CONFIG_KEYS)[number]
/** The values found in a config file. */
export type FileConfig = Partial<Record<ConfigKey, string>>

const EXPECTED = CONFIG_KEYS.map((k) => `"${k}"`).join(', ')
const BOM = '\uFEFF'

const normalize = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '')

/** Line number (1-based) of the first `"name"` in the text, for messages about a key. */
function lineOf(text: string, name: string): number | undefined {
  const at = text.indexOf(JSON.stringify(name))
  return at < 0 ? undefined : text.slice(0, at).split('\n').length
}

function parse(text: string, path: string): Record<string, unknown> {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    // V8's message quotes the text (the secret): report our own position instead.
    let where = ''
    try {
      const err = jsonSyntaxError(text)
      if (err) where = `, line ${err.line}, column ${err.column}: expected ${err.expected}`
    } catch {
      // too deeply nested to locate: the file name alone
    }
    throw new UsageError(`config file ${path} is not valid JSON${where} (expected { ${EXPECTED} })`)
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new UsageError(`config file ${path} must hold a JSON object { ${EXPECTED} }`)
  }
  return doc as Record<string, unknown>
}

function warnUnknownKeys(doc: Record<string, unknown>, path: string, warn: (text: string) => void): void {
  for (const name of Object.keys(doc)) {
    if ((CONFIG_KEYS as readonly string[]).includes(name)) continue
    const near = CONFIG_KEYS.find((k) => normalize(k) === normalize(name))
    warn(`config file ${path}: unknown key ${JSON.stringify(name)} ignored${near ? ` (did you mean "${near}"?)` : ''}; expected keys: ${EXPECTED}`)
  }
}

function warnIfOthersCanRead(path: string, warn: (text: string) => void): void {
  if (process.platform === 'win32') return
  const mode = statSync(path).mode & 0o777
  if (mode & 0o077) {
    warn(`config file ${path} holds the access key secret and other users can access it (mode ${mode.toString(8).padStart(3, '0')}): run chmod 600 ${path}`)
  }
}

/**
 * Reads a config file. A missing default file is empty; a missing `--config` file, bad JSON or a value that
 * is not a string is a UsageError (exit code 2) naming the file and line.
 * @example readConfigFile('/home/me/.nos-sdk/config.json', false, console.warn)
 */
export function readConfigFile(path: string, explicit: boolean, warn: (text: string) => void): FileConfig {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (!explicit && (code === 'ENOENT' || code === 'ENOTDIR')) return {}
    throw new UsageError(`cannot read config file ${path} (${code ?? 'error'})`)
  }
  if (text.startsWith(BOM)) text = text.slice(1)
  const doc = parse(text, path)
  warnUnknownKeys(doc, path, warn)
  const out: FileConfig = {}
  for (const name of CONFIG_KEYS) {
    const v = doc[name]
    if (v === undefined || v === null) continue
    if (typeof v !== 'string') {
      const line = lineOf(text, name)
      throw new UsageError(`config file ${path}${line ? `, line ${line}` : ''}: "${name}" must be a string`)
    }
    if (v.trim()) out[name] = v.trim()
  }
  if (out.accessKeySecret) warnIfOthersCanRead(path, warn)
  return out
}
