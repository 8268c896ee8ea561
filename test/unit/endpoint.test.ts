/**
 * src/core/endpoint.ts: endpoints as hosts, host:port or URLs; path style for IPs and localhost; everything the
 * request URL would silently drop refused; request URLs with the key NOS-encoded in the path.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEFAULT_ENDPOINT, buildUrl, parseEndpoint } from '../../src/core/endpoint.js'
import { caught } from '../helpers/caught.js'

describe('parseEndpoint', () => {
  it('reads hosts, ports and schemes; path style for IPv4, IPv6 and localhost only', () => {
    expect(DEFAULT_ENDPOINT).toBe('nos-eastchina1.126.net')
    expect(parseEndpoint('nos-eastchina1.126.net')).toEqual({ protocol: 'http:', host: 'nos-eastchina1.126.net', hostname: 'nos-eastchina1.126.net', pathStyle: false })
    expect(parseEndpoint('nos-eastchina1.126.net', true)).toEqual({ protocol: 'https:', host: 'nos-eastchina1.126.net', hostname: 'nos-eastchina1.126.net', pathStyle: false })
    expect(parseEndpoint('http://127.0.0.1:9000', true)).toEqual({ protocol: 'http:', host: '127.0.0.1:9000', hostname: '127.0.0.1', pathStyle: true })
    expect(parseEndpoint('HTTPS://Example.COM:443/')).toEqual({ protocol: 'https:', host: 'example.com', hostname: 'example.com', pathStyle: false })
    expect(parseEndpoint('[::1]:9000')).toEqual({ protocol: 'http:', host: '[::1]:9000', hostname: '::1', pathStyle: true })
    expect(parseEndpoint('localhost:9000')).toEqual({ protocol: 'http:', host: 'localhost:9000', hostname: 'localhost', pathStyle: true })
    expect(parseEndpoint('1.2.3.4.example.com')).toMatchObject({ pathStyle: false })
  })

  it('an explicit pathStyle wins over the default', () => {
    expect(parseEndpoint('127.0.0.1', false, false).pathStyle).toBe(false)
    expect(parseEndpoint('nos.example.com', false, true).pathStyle).toBe(true)
  })

  it('refuses what a request URL would drop or cannot use, with a TypeError saying what', () => {
    const cases: [string, string][] = [
      ['', 'not a host, host:port or http(s) URL'],
      ['http://', 'not a host, host:port or http(s) URL'],
      ['ftp://files.example.com', 'unsupported scheme ftp:'],
      ['http://user:pass@h.example.com', 'h.example.com: user:password@ is not supported (NOS authenticates with access keys)'],
      ['http://h.example.com/bucket', 'h.example.com: a path, query or fragment is not supported (give only scheme, host and port)'],
      ['h.example.com:9000/x', 'h.example.com:9000: a path, query or fragment is not supported (give only scheme, host and port)'],
      ['http://h.example.com?x=1', 'h.example.com: a path, query or fragment is not supported (give only scheme, host and port)'],
      ['http://h.example.com#f', 'h.example.com: a path, query or fragment is not supported (give only scheme, host and port)'],
    ]
    for (const [endpoint, message] of cases) {
      const e = caught(() => parseEndpoint(endpoint))
      expect(e).toBeInstanceOf(TypeError)
      expect(e.message).toBe(message)
    }
  })
})

describe('buildUrl', () => {
  const virtual = parseEndpoint('nos-eastchina1.126.net')
  const path = parseEndpoint('http://127.0.0.1:9000')

  it('service, bucket and object URLs in both styles, the query in insertion order', () => {
    expect(buildUrl(virtual)).toBe('http://nos-eastchina1.126.net/')
    expect(buildUrl(virtual, 'bkt')).toBe('http://bkt.nos-eastchina1.126.net/')
    expect(buildUrl(virtual, 'bkt', 'a b/c.txt')).toBe('http://bkt.nos-eastchina1.126.net/a%20b%2Fc.txt')
    expect(buildUrl(path, 'bkt', 'a b/c.txt')).toBe('http://127.0.0.1:9000/bkt/a%20b%2Fc.txt')
    expect(buildUrl(path, 'bkt', undefined, { uploads: null, prefix: 'x/' })).toBe('http://127.0.0.1:9000/bkt/?uploads&prefix=x%2F')
    expect(buildUrl(path, undefined, undefined, { a: '1' })).toBe('http://127.0.0.1:9000/?a=1')
    expect(buildUrl(path, 'bkt', '')).toBe('http://127.0.0.1:9000/bkt/')
  })

  it('property: the key round-trips through the URL as one path segment, in both styles', () => {
    const key = fc.string({ unit: 'grapheme', minLength: 1 }).filter((k) => k !== '.' && k !== '..')
    fc.assert(
      fc.property(key, (k) => {
        const p = new URL(buildUrl(path, 'bkt', k)).pathname
        expect(p.startsWith('/bkt/')).toBe(true)
        expect(p.slice(5).includes('/')).toBe(false)
        expect(decodeURIComponent(p.slice(5))).toBe(k)
        const v = new URL(buildUrl(virtual, 'bkt', k))
        expect(v.host).toBe('bkt.nos-eastchina1.126.net')
        expect(decodeURIComponent(v.pathname.slice(1))).toBe(k)
      }),
      { numRuns: 1000 },
    )
  })
})
