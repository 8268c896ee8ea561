/** Starts an emulator and a client for it; every integration test talks real HTTP to it. */
import { startEmulator, type EmulatorOptions } from '../../src/emulator/index.js'
import { NosClient, type NosClientOptions } from '../../src/index.js'

export const AK = 'testAccessKey'
export const SK = 'testSecretKey0123456789abcdef'

export async function setup(opts: EmulatorOptions = {}, clientOpts: NosClientOptions = {}) {
  const emu = await startEmulator({ port: 0, credentials: [{ accessKeyId: AK, accessKeySecret: SK }], buckets: ['bkt', 'other'], ...opts })
  const client = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint, retryBaseDelay: 1, retryMaxDelay: 10, ...clientOpts })
  return { emu, client }
}

export { randomBytes } from '../helpers/random-bytes.js'

export const TRICKY_KEYS = [
  'plain.txt',
  'with space.txt',
  'dir/sub/file.txt',
  'plus+sign',
  'percent%20literal%',
  'question?mark',
  'hash#tag',
  'tilde~star*',
  `quotes"and'apostrophes`,
  '中文/键.txt',
  'emoji-😀🎉.bin',
  '/leading-slash',
  'trailing-slash/',
  'amp&lt;&gt;<xml>',
  ' spaces around ',
  'k'.repeat(1000),
  '测'.repeat(333), // 999 UTF-8 bytes
]
