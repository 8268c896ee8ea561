/** In-process checks of the CLI's parsers and printers (no subprocess). */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveCredentials, resolveStateDir } from '../../src/cli/config.js'
import { EXIT, UsageError, describeError, exitCodeOf, scrub } from '../../src/cli/errors.js'
import { dirPrefix, formatUri, keyBasename, parseBucketUri, parseNosUri, parseObjectUri } from '../../src/cli/uri.js'
import { humanDuration, humanSize, parseDuration, parseSize } from '../../src/cli/units.js'
import { ConnectionError, NotFoundError } from '../../src/node.js'

describe('units', () => {
  it('parses sizes', () => {
    expect(parseSize('262144')).toBe(262144)
    expect(parseSize('256KiB')).toBe(256 * 1024)
    expect(parseSize('256k')).toBe(256 * 1024)
    expect(parseSize('8MiB')).toBe(8 * 1024 * 1024)
    expect(parseSize('1.5M')).toBe(1.5 * 1024 * 1024)
    expect(parseSize('1G')).toBe(1024 ** 3)
    for (const bad of ['', 'x', '12 parsecs', '-1']) expect(() => parseSize(bad, '--part-size')).toThrow(UsageError)
  })

  it('parses durations', () => {
    expect(parseDuration('30s')).toBe(30)
    expect(parseDuration('15m')).toBe(900)
    expect(parseDuration('1h')).toBe(3600)
    expect(parseDuration('7d')).toBe(7 * 86400)
    expect(parseDuration('3600')).toBe(3600)
    for (const bad of ['0', '1y', 'soon', '-5', '1.5h']) expect(() => parseDuration(bad)).toThrow(UsageError)
  })

  it('prints sizes and durations for people', () => {
    expect(humanSize(0)).toBe('0 B')
    expect(humanSize(1023)).toBe('1023 B')
    expect(humanSize(1536)).toBe('1.5 KiB')
    expect(humanSize(700 * 1024)).toBe('700 KiB')
    expect(humanSize(5 * 1024 ** 3)).toBe('5.0 GiB')
    expect(humanDuration(5)).toBe('5s')
    expect(humanDuration(125)).toBe('2m 05s')
    expect(humanDuration(NaN)).toBe('--')
  })
})

describe('nos:// URIs', () => {
  it('parses bucket and key verbatim', () => {
    expect(parseNosUri('nos://bkt')).toEqual({ bucket: 'bkt', key: '' })
    expect(parseNosUri('nos://bkt/')).toEqual({ bucket: 'bkt', key: '' })
    expect(parseNosUri('NOS://bkt/a b/中文.txt')).toEqual({ bucket: 'bkt', key: 'a b/中文.txt' })
    expect(parseNosUri('nos://bkt/%20')).toEqual({ bucket: 'bkt', key: '%20' })
    expect(parseObjectUri('nos://bkt/k').key).toBe('k')
    expect(parseBucketUri('nos://bkt/')).toBe('bkt')
  })

  it('rejects bad URIs with a UsageError', () => {
    for (const bad of ['bkt/key', 'nos://', 'nos:///key', 'nos://UPPER/k', 'nos://a_b/k', `nos://bkt/${'x'.repeat(1001)}`]) {
      expect(() => parseNosUri(bad), bad).toThrow(UsageError)
    }
    expect(() => parseObjectUri('nos://bkt')).toThrow(UsageError)
    expect(() => parseBucketUri('nos://bkt/key')).toThrow(UsageError)
  })

  it('helpers', () => {
    expect(dirPrefix('')).toBe('')
    expect(dirPrefix('logs')).toBe('logs/')
    expect(dirPrefix('logs/')).toBe('logs/')
    expect(keyBasename('a/b/c.txt')).toBe('c.txt')
    expect(formatUri('b')).toBe('nos://b')
    expect(formatUri('b', 'k')).toBe('nos://b/k')
  })
})

describe('errors', () => {
  it('maps errors to exit codes', () => {
    expect(exitCodeOf(new UsageError('x'))).toBe(EXIT.USAGE)
    expect(exitCodeOf(new NotFoundError('x', { statusCode: 404 }))).toBe(EXIT.SERVICE)
    expect(exitCodeOf(new ConnectionError('x'))).toBe(EXIT.CLIENT)
    expect(exitCodeOf(new Error('x'))).toBe(EXIT.CLIENT)
    expect(exitCodeOf(new NotFoundError('x'), true)).toBe(EXIT.INTERRUPTED)
  })

  it('describes service errors with code and request id, masking secrets', () => {
    const e = new NotFoundError('GET /b/k failed: 404 Not Found NoSuchKey', { errorCode: 'NoSuchKey', requestId: 'abc123' })
    expect(describeError(e)).toBe('GET /b/k failed: 404 Not Found NoSuchKey [code NoSuchKey, request id abc123]')
    expect(describeError(new Error('key s3cr3t-value leaked'), ['s3cr3t-value'])).toBe('key <redacted> leaked')
    expect(scrub('a SECRET b SECRET', ['SECRET'])).toBe('a <redacted> b <redacted>')
  })
})

describe('credentials', () => {
  it('resolves flags > environment > config file, field by field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nos-cli-cfg-'))
    const file = join(dir, 'c.json')
    await writeFile(file, JSON.stringify({ accessKeyId: 'fileId', accessKeySecret: 'fileSecret', endpoint: 'file.example' }))
    expect(resolveCredentials({ config: file }, {})).toMatchObject({ accessKeyId: 'fileId', accessKeySecret: 'fileSecret', endpoint: 'file.example' })
    expect(resolveCredentials({ config: file }, { NOS_ENDPOINT: 'env.example' })).toMatchObject({ accessKeyId: 'fileId', endpoint: 'env.example' })
    const flags = resolveCredentials({ config: file, accessKeyId: 'flagId', accessKeySecret: 'flagSecret' }, { NOS_ACCESS_KEY_ID: 'envId', NOS_ACCESS_KEY_SECRET: 'envSecret' })
    expect(flags).toMatchObject({ accessKeyId: 'flagId', accessKeySecret: 'flagSecret', endpoint: 'file.example' })
    expect(() => resolveCredentials({ config: join(dir, 'missing.json') }, {})).toThrow(UsageError)
    expect(() => resolveCredentials({ config: join(dir, 'missing.json'), accessKeyId: 'only-id' }, {})).toThrow(UsageError)
    expect(resolveStateDir('/x', { NOS_STATE_DIR: '/y' })).toBe('/x')
    expect(resolveStateDir(undefined, { NOS_STATE_DIR: '/y' })).toBe('/y')
    expect(resolveStateDir(undefined, {})).toMatch(/\.nos-sdk[/\\]checkpoints$/)
  })
})
