/**
 * The emulator in its own process, so the client's RSS and CPU are measured alone. Started by
 * `lib/emulator.ts` with `fork()`: options arrive as JSON in argv[2]; the endpoint goes back over IPC, and
 * IPC messages drive `setFaults`, `clearRequestLog`, request-log summaries and resource usage.
 * (The `nos-emulator` CLI has no fault options, hence this small script.)
 */
import { startEmulator, type EmulatorOptions, type FaultConfig } from '../src/emulator/index.js'

type Msg =
  | { id: number; cmd: 'setFaults'; faults?: FaultConfig }
  | { id: number; cmd: 'log' }
  | { id: number; cmd: 'clearLog' }
  | { id: number; cmd: 'usage' }
  | { id: number; cmd: 'close' }

const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions
const emu = await startEmulator({ ...options, log: false })
const send = (m: unknown) => process.send!(m)
send({ ready: true, endpoint: emu.endpoint })

process.on('message', async (m: Msg) => {
  switch (m.cmd) {
    case 'setFaults':
      emu.setFaults(m.faults)
      return send({ id: m.id })
    case 'log': {
      const faults: Record<string, number> = {}
      const statuses: Record<string, number> = {}
      for (const r of emu.requests) {
        if (r.fault) faults[r.fault] = (faults[r.fault] ?? 0) + 1
        statuses[r.status] = (statuses[r.status] ?? 0) + 1
      }
      return send({ id: m.id, count: emu.requests.length, faults, statuses })
    }
    case 'clearLog':
      emu.clearRequestLog()
      return send({ id: m.id })
    case 'usage':
      return send({ id: m.id, rss: process.memoryUsage().rss, cpu: process.cpuUsage() })
    case 'close':
      await emu.close()
      send({ id: m.id })
      process.disconnect()
      return
  }
})
process.on('disconnect', () => void emu.close().finally(() => process.exit(0)))
