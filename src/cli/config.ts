/**
 * Credentials and endpoint: command-line flags, then environment variables, then a JSON config file
 * (`--config FILE`, default `~/.nos-sdk/config.json`), field by field. The file is read only when flags and
 * environment leave a value missing, so a broken file never stops a command that does not need it.
 * Secrets are never printed: not in errors, not in `--json`, not in help (no option shows its value as a default).
 * @module
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { CONFIG_KEYS, readConfigFile, type ConfigKey, type FileConfig } from './config-file.js'
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

/**
 * Resolves credentials and endpoint. Both keys or neither (anonymous access to public-read buckets). `warn`
 * receives the config file's warnings (unknown keys, permissions).
 * @example resolveCredentials({ endpoint: 'http://127.0.0.1:9000' }, process.env)
 */
export function resolveCredentials(flags: CredentialFlags, env: NodeJS.ProcessEnv = process.env, warn: (text: string) => void = () => {}): ResolvedCredentials {
  const configPath = flags.config || defaultConfigPath()
  const sources: ResolvedCredentials['sources'] = {}
  const values: FileConfig = {}
  for (const name of CONFIG_KEYS) {
    const fromFlag = flags[name]?.trim()
    const fromEnv = env[ENV[name]]?.trim()
    if (fromFlag) [values[name], sources[name]] = [fromFlag, 'flag']
    else if (fromEnv) [values[name], sources[name]] = [fromEnv, `$${ENV[name]}`]
  }
  const missing = CONFIG_KEYS.filter((name) => values[name] === undefined)
  if (missing.length) {
    const file = readConfigFile(configPath, Boolean(flags.config), warn)
    for (const name of missing) if (file[name]) [values[name], sources[name]] = [file[name], configPath]
  }
  checkPair(values, sources, configPath)
  return { accessKeyId: values.accessKeyId, accessKeySecret: values.accessKeySecret, endpoint: values.endpoint, sources }
}

function checkPair(values: FileConfig, sources: ResolvedCredentials['sources'], configPath: string): void {
  const hint = (flag: string, name: ConfigKey) => `use ${flag}, $${ENV[name]} or "${name}" in ${configPath}`
  if (values.accessKeyId && !values.accessKeySecret) {
    throw new UsageError(`an access key id is set (${sources.accessKeyId}) but no secret: ${hint('--access-key-secret', 'accessKeySecret')}`)
  }
  if (values.accessKeySecret && !values.accessKeyId) {
    throw new UsageError(`an access key secret is set (${sources.accessKeySecret}) but no id: ${hint('--access-key-id', 'accessKeyId')}`)
  }
}
