/**
 * Credentials and endpoint: command-line flags, then environment variables, then a JSON config file
 * (`--config FILE`, default `~/.nos-sdk/config.json`), field by field. Secrets are never printed: not in errors,
 * not in `--json`, not in help (no option shows its value as a default).
 * @module
 */
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { UsageError } from './errors.js'

/** Environment variables `nos` reads. */
export const ENV = {
  accessKeyId: 'NOS_ACCESS_KEY_ID',
  accessKeySecret: 'NOS_ACCESS_KEY_SECRET',
  endpoint: 'NOS_ENDPOINT',
  stateDir: 'NOS_STATE_DIR',
} as const

/** Flags that carry credentials (subset of the global options). */
export interface CredentialFlags {
  accessKeyId?: string | undefined
  accessKeySecret?: string | undefined
  endpoint?: string | undefined
  config?: string | undefined
}

/** The resolved settings. Never log this object: it holds the secret. */
export interface ResolvedCredentials {
  accessKeyId: string | undefined
  accessKeySecret: string | undefined
  endpoint: string | undefined
  /** Where each value came from, for messages (`flag`, `env`, the config file path). */
  sources: { accessKeyId?: string; accessKeySecret?: string; endpoint?: string }
}

/** `~/.nos-sdk`, where the default config file and checkpoints live. */
export function nosHome(): string {
  return join(homedir(), '.nos-sdk')
}

/** The default config file, `~/.nos-sdk/config.json`. */
export function defaultConfigPath(): string {
  return join(nosHome(), 'config.json')
}

/** The state dir for upload checkpoints: `--state-dir`, `NOS_STATE_DIR`, `~/.nos-sdk/checkpoints`. */
export function resolveStateDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env[ENV.stateDir] || join(nosHome(), 'checkpoints')
}

type FileConfig = { accessKeyId?: string; accessKeySecret?: string; endpoint?: string }

function readConfigFile(path: string, explicit: boolean): FileConfig {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (!explicit && (code === 'ENOENT' || code === 'ENOTDIR')) return {}
    throw new UsageError(`cannot read config file ${path} (${code ?? 'error'})`)
  }
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    // The parser's message may quote the file's content, which holds the secret: do not show it.
    throw new UsageError(`config file ${path} is not valid JSON (expected { "accessKeyId", "accessKeySecret", "endpoint" })`)
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new UsageError(`config file ${path} must hold a JSON object { "accessKeyId", "accessKeySecret", "endpoint" }`)
  }
  const out: FileConfig = {}
  for (const name of ['accessKeyId', 'accessKeySecret', 'endpoint'] as const) {
    const v = (doc as Record<string, unknown>)[name]
    if (v === undefined || v === null) continue
    if (typeof v !== 'string') throw new UsageError(`config file ${path}: "${name}" must be a string`)
    if (v.trim()) out[name] = v.trim()
  }
  return out
}

/**
 * Resolves credentials and endpoint. Both keys or neither (anonymous access to public-read buckets).
 * @example resolveCredentials({ endpoint: 'http://127.0.0.1:9000' }, process.env)
 */
export function resolveCredentials(flags: CredentialFlags, env: NodeJS.ProcessEnv = process.env): ResolvedCredentials {
  const configPath = flags.config || defaultConfigPath()
  const file = readConfigFile(configPath, Boolean(flags.config))
  const sources: ResolvedCredentials['sources'] = {}
  const pick = (name: 'accessKeyId' | 'accessKeySecret' | 'endpoint'): string | undefined => {
    const fromFlag = flags[name]?.trim()
    if (fromFlag) return (sources[name] = 'flag'), fromFlag
    const fromEnv = env[ENV[name]]?.trim()
    if (fromEnv) return (sources[name] = `$${ENV[name]}`), fromEnv
    if (file[name]) return (sources[name] = configPath), file[name]
    return undefined
  }
  const accessKeyId = pick('accessKeyId')
  const accessKeySecret = pick('accessKeySecret')
  const endpoint = pick('endpoint')
  if (accessKeyId && !accessKeySecret) {
    throw new UsageError(`an access key id is set (${sources.accessKeyId}) but no secret: use --access-key-secret, $${ENV.accessKeySecret} or "accessKeySecret" in ${configPath}`)
  }
  if (accessKeySecret && !accessKeyId) {
    throw new UsageError(`an access key secret is set (${sources.accessKeySecret}) but no id: use --access-key-id, $${ENV.accessKeyId} or "accessKeyId" in ${configPath}`)
  }
  return { accessKeyId, accessKeySecret, endpoint, sources }
}
