/**
 * `--exclude` and `--include`, as in `aws s3 sync`: every name is included unless a filter matches it; the
 * filters are read in command-line order and the last one that matches decides. So
 * `--exclude '*' --include '*.jpg'` keeps only JPEGs, while `--include '*.jpg' --exclude '*'` keeps nothing.
 * Names are paths relative to the source or destination root with `/` separators (see glob.ts for patterns).
 * @module
 */
import { globToRegExp } from './glob.js'

/** One `--exclude` or `--include` flag. */
export interface Filter {
  kind: 'exclude' | 'include'
  pattern: string
  regexp: RegExp
}

/** Builds a filter from a flag; a malformed pattern is a UsageError. */
export function filter(kind: Filter['kind'], pattern: string): Filter {
  return { kind, pattern, regexp: globToRegExp(pattern, `--${kind}`) }
}

/**
 * True when `name` passes the filters (the last matching filter decides; none matching: included).
 * @example isIncluded('a/b.jpg', [filter('exclude', '*'), filter('include', '*.jpg')]) // true
 */
export function isIncluded(name: string, filters: readonly Filter[]): boolean {
  for (let i = filters.length - 1; i >= 0; i--) {
    if (filters[i]!.regexp.test(name)) return filters[i]!.kind === 'include'
  }
  return true
}

/**
 * A commander argument parser that appends to one ordered list for both flags, so that the order of
 * `--exclude` and `--include` on the command line is kept (commander keeps one value per option).
 */
export function filterCollector(kind: Filter['kind'], list: Filter[]): (value: string) => Filter[] {
  return (value) => {
    list.push(filter(kind, value))
    return list
  }
}
