/**
 * A local NOS (NetEase Object Storage) server for tests and development: the REST API of docs/protocol.md (signing,
 * buckets, objects, multipart, CORS, direct upload with upload tokens, limits and NOS's own error semantics), in
 * memory or on disk, with a request log and deterministic fault injection. Node only.
 * @module
 */
import type { AddressInfo } from 'node:net'
import type { Account, Env, Settings } from './context.js'
import { DEFAULT_CONTEXT_TTL_MS } from './direct-contexts.js'
import { FaultInjector } from './faults.js'
import { createNosServer } from './server.js'
import { Store } from './store.js'
import { diskBackend } from './store-disk.js'
import { memoryBackend } from './store-memory.js'
import type { EmulatorOptions, FaultConfig, RequestLogEntry } from './types.js'
import { BUCKET_NAME_RULE, isValidBucketName } from './util.js'

export type {
  CannedAcl,
  EmulatorBucketOption,
  EmulatorCredential,
  EmulatorOptions,
  FaultAction,
  FaultConfig,
  FaultMatch,
  FaultRule,
  OpName,
  RequestLogEntry,
} from './types.js'

/** A running emulator. */
export interface Emulator {
  /** Base URL for path-style requests, e.g. `http://127.0.0.1:40123`. */
  readonly endpoint: string
  /** The bound port. */
  readonly port: number
  /** The bound address. */
  readonly host: string
  /**
   * Host (with port) whose sub-domains are buckets, e.g. `nos.localhost:40123` (virtual-hosted style,
   * docs/protocol.md#endpoints-and-addressing).
   */
  readonly endpointHost: string
  /** Every request served, oldest first (the same array for the emulator's lifetime). */
  readonly requests: RequestLogEntry[]
  /** Replaces the fault rules (and resets their counters and PRNG); no argument removes them. */
  setFaults(faults?: FaultConfig): void
  /** Empties {@link Emulator.requests} in place; requests still in flight will not be logged either. */
  clearRequestLog(): void
  /** Stops listening and closes every connection. */
  close(): Promise<void>
}

/** The owner id every credential shares unless it names its own (one account, several key pairs). */
const DEFAULT_OWNER = 'nos-emulator'

function settingsFrom(options: EmulatorOptions): Settings {
  const accounts = new Map<string, Account>()
  const displayNames = new Map<string, string>()
  for (const c of options.credentials ?? []) {
    const ownerId = c.ownerId ?? DEFAULT_OWNER
    accounts.set(c.accessKeyId, { accessKeyId: c.accessKeyId, secret: c.accessKeySecret, ownerId, displayName: c.displayName ?? ownerId })
    if (!displayNames.has(ownerId) || c.displayName) displayNames.set(ownerId, c.displayName ?? ownerId)
  }
  const first = options.credentials?.[0]
  return {
    now: options.now ?? Date.now,
    maxSkewMs: options.maxSkewMs ?? 15 * 60_000,
    endpointHost: options.endpointHost ?? 'nos.localhost',
    baseHosts: [],
    permissive: options.cors === 'permissive',
    accounts,
    displayNames,
    defaultOwner: first?.ownerId ?? DEFAULT_OWNER,
    log: options.log ?? false,
    uploadContextTtlMs: options.uploadContextTtlMs ?? DEFAULT_CONTEXT_TTL_MS,
    lbsNodes: options.lbsNodes,
  }
}

const stripPort = (h: string): string => h.replace(/:\d+$/, '').replace(/^\[|\]$/g, '').toLowerCase()

/**
 * Starts an emulator and resolves once it listens.
 *
 * @example
 * import { startEmulator } from 'nos-sdk/emulator'
 * const emu = await startEmulator({
 *   port: 0,
 *   credentials: [{ accessKeyId: 'AK', accessKeySecret: 'SK' }],
 *   buckets: ['my-bucket', { name: 'pub', acl: 'public-read' }],
 *   cors: 'permissive',
 * })
 * // new NosClient({ endpoint: emu.endpoint, accessKeyId: 'AK', accessKeySecret: 'SK' })
 * emu.setFaults({ rules: [{ match: { op: 'uploadPart', nth: [2] }, action: 'error503' }] })
 * await emu.close()
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const settings = settingsFrom(options)
  const store = new Store(options.dataDir ? diskBackend(options.dataDir) : memoryBackend())
  await store.load()
  for (const b of options.buckets ?? []) {
    const opt = typeof b === 'string' ? { name: b } : b
    // A bucket NOS would refuse to create could never be reached either (every request to it is refused).
    if (!isValidBucketName(opt.name)) throw new TypeError(`buckets: ${JSON.stringify(opt.name)} is not a bucket name NOS accepts (${BUCKET_NAME_RULE})`)
    if (store.bucket(opt.name)) continue
    const owner = opt.owner === undefined ? settings.defaultOwner : (settings.accounts.get(opt.owner)?.ownerId ?? opt.owner)
    const deduplication = opt.deduplication ? { deduplication: true } : {}
    await store.saveBucket({ name: opt.name, owner, acl: opt.acl ?? 'private', location: opt.location ?? 'HZ', created: settings.now(), ...deduplication })
  }
  const requests: RequestLogEntry[] = []
  const faults = new FaultInjector(options.faults)
  const env: Env = { settings, store, faults, requests, logEpoch: 0 }
  const server = createNosServer(env)
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const endpointHost = options.endpointHost ?? `nos.localhost:${port}`
  settings.endpointHost = endpointHost
  settings.baseHosts = [...new Set([stripPort(endpointHost), 'nos.localhost', 'localhost', stripPort(host)])]
  const urlHost = host.includes(':') ? `[${host}]` : host
  return {
    endpoint: `http://${urlHost}:${port}`,
    port,
    host,
    endpointHost,
    requests,
    setFaults: (f) => faults.set(f),
    clearRequestLog: () => {
      requests.length = 0
      env.logEpoch++
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()))
        server.closeAllConnections()
      }),
  }
}

