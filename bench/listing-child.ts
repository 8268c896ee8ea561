/** Child of `fig-listing.ts`: builds a 1000-key listing with the emulator's XML writer and times parsing it. */
import { parseListObjects } from '../src/operations/listing.js'
import { formatXmlDate } from '../src/emulator/time.js'
import { xmlDocument, type XmlChildren } from '../src/emulator/xml.js'
import { loadXmlParser } from '../src/core/xml.js'

// fast-xml-parser is loaded on first use (src/core/xml.ts): load it first, so that `coldMs` is the first parse.
await loadXmlParser()

const runs = Number(process.argv[2] ?? 100)
const names = ['report final.pdf', 'a&b <c>.txt', '数据/文件.bin', "it's \"quoted\".md", 'plain-file.log.gz']
const contents: XmlChildren = []
for (let i = 0; i < 1000; i++) {
  contents.push([
    'Contents',
    [
      ['Key', `logs/2026/11/${String(i % 30).padStart(2, '0')}/${String(i).padStart(5, '0')}-${names[i % names.length]}`],
      ['LastModified', formatXmlDate(Date.UTC(2026, 10, 25, 12, 0, i % 60))],
      ['ETag', (i * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(4)],
      ['Size', 1000 + i * 37],
      ['StorageClass', 'Standard'],
      ['Owner', [['ID', 'nos-emulator'], ['DisplayName', 'nos-emulator']]],
    ],
  ])
}
const xml = xmlDocument('ListBucketResult', [
  ['Name', 'bench'], ['Prefix', 'logs/'], ['Marker', ''], ['MaxKeys', 1000], ['NextMarker', 'logs/zzz'], ['IsTruncated', true], ...contents,
])

let t0 = performance.now()
const first = parseListObjects(xml, 'req', 'bench')
const coldMs = performance.now() - t0
if (first.contents.length !== 1000 || first.contents[1]!.key !== 'logs/2026/11/01/00001-a&b <c>.txt') throw new Error('listing parsed wrong')
const times: number[] = []
for (let i = 0; i < runs; i++) {
  t0 = performance.now()
  parseListObjects(xml, 'req', 'bench')
  times.push(performance.now() - t0)
}
times.sort((a, b) => a - b)
const mid = times.length >> 1
const medianMs = times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2
process.stdout.write(JSON.stringify({ coldMs, medianMs, p95Ms: times[Math.floor(times.length * 0.95)], bytes: xml.length, keys: first.contents.length }) + '\n')
