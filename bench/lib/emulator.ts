/** Starts `bench/emulator-server.ts` in a child process and talks to it over IPC. */
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { EmulatorOptions, FaultConfig } from '../../src/emulator/index.js'

export const AK = 'benchAccessKey'
export const SK = 'benchSecretKey0123456789abcdef'
export const BUCKET = 'bench'

export interface RemoteEmulator {
  endpoint: string
  pid: number
  setFaults(f?: FaultConfig): Promise<void>
  log(): Promise<{ count: number; faults: Record<string, number>; statuses: Record<string, number> }>
  clearLog(): Promise<void>
  usage(): Promise<{ rss: number; cpu: NodeJS.CpuUsage }>
  close(): Promise<void>
}

const SERVER = fileURLToPath(new URL('../emulator-server.ts', import.meta.url))

/** `disk: true` keeps bytes in a temp `dataDir` (removed on close) so the emulator holds no GiBs in memory. */
export async function spawnEmulator(opts: { disk?: boolean } & EmulatorOptions = {}): Promise<RemoteEmulator> {
  const { disk, ...rest } = opts
  const dataDir = disk ? mkdtempSync(join(tmpdir(), 'nos-bench-emu-')) : undefined
  const options: EmulatorOptions = {
    port: 0,
    credentials: [{ accessKeyId: AK, accessKeySecret: SK }],
    buckets: [BUCKET],
    ...(dataDir ? { dataDir } : {}),
    ...rest,
  }
  const child: ChildProcess = fork(SERVER, [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  let nextId = 1
  const waiting = new Map<number, (m: any) => void>()
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`emulator exited early (${code})`)))
    child.on('message', (m: any) => {
      if (m.ready) return resolve(m.endpoint as string)
      waiting.get(m.id)?.(m)
      waiting.delete(m.id)
    })
  })
  child.removeAllListeners('exit')
  const call = <T>(msg: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve) => {
      const id = nextId++
      waiting.set(id, resolve)
      child.send({ ...msg, id })
    })
  let closed = false
  return {
    endpoint,
    pid: child.pid!,
    setFaults: (faults) => call({ cmd: 'setFaults', faults }),
    log: () => call({ cmd: 'log' }),
    clearLog: () => call({ cmd: 'clearLog' }),
    usage: () => call({ cmd: 'usage' }),
    async close() {
      if (closed) return
      closed = true
      const exited = new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())))
      await Promise.race([call({ cmd: 'close' }), exited, new Promise((r) => setTimeout(r, 5000))])
      if (child.exitCode === null) child.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))])
      if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
