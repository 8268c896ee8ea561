/** Runs a program asynchronously (the emulator lives in this process: a sync spawn would deadlock it). */
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '../..')
export const BIN = (name: string) => resolve(ROOT, 'node_modules/.bin', name)

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

export function run(cmd: string, args: string[], opts: { env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 45_000)
    child.on('error', (e) => {
      clearTimeout(timer)
      fail(e)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      done({ code, stdout, stderr })
    })
  })
}

/** The `CONTRACT_RESULT {json}` line a runner prints last. */
export function contractResult(out: RunResult): { runtime: string; version?: string; results: Record<string, { passed: number; failed: number; names: string[]; failures: { name: string; error: string }[] }> } {
  const line = out.stdout.split('\n').find((l) => l.startsWith('CONTRACT_RESULT '))
  if (!line) throw new Error(`no CONTRACT_RESULT line (exit ${out.code})\nstdout:\n${out.stdout.slice(-3000)}\nstderr:\n${out.stderr.slice(-3000)}`)
  return JSON.parse(line.slice('CONTRACT_RESULT '.length))
}

/** First line of `cmd --version`. */
export async function versionOf(cmd: string, args = ['--version']): Promise<string> {
  const r = await run(cmd, args, { timeoutMs: 15_000 })
  return (r.stdout || r.stderr).trim().split('\n')[0] ?? ''
}
