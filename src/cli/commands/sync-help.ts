/**
 * The `nos sync --help` text after the options: examples and the rules (comparison, checksums, filters,
 * deletion, safety, resuming) that sync/compare.ts, sync/checksum.ts and filters.ts implement.
 * @module
 */

/** Shown after the options of `nos sync --help`. */
export const SYNC_HELP = `
Examples:
  $ nos sync ./site nos://www/                       upload new and changed files
  $ nos sync --delete ./site nos://www/              ... and delete objects that are no longer in ./site
  $ nos sync --delete --dryrun ./site nos://www/     print what would be done, change nothing
  $ nos sync nos://www/ ./site-backup                download new and changed objects
  $ nos sync nos://www/ nos://www-mirror/            copy between buckets (server-side)
  $ nos sync --exclude '*' --include '*.jpg' ./photos nos://b/photos/
  $ nos sync --checksum nos://b/data/ ./data         compare contents, not times

What is transferred: every source entry the destination lacks, and those that differ:
  - sizes differ;
  - otherwise (default) by modification time, to the second: local -> NOS when the file was modified after
    the object was written; NOS -> local when the file's time differs from the object's Last-Modified (a
    download sets the file's time to it, so a second sync is a no-op); NOS -> NOS when the source was written
    after the destination. A file replaced by an older one of the same size is not seen: use --checksum;
  - --size-only: sizes only;
  - --checksum: by MD5, hashing local files. Objects stored by one PUT have their MD5 as ETag; multipart
    objects have an MD5 of the parts' MD5s, which is compared with the ETag the file would get with the part
    size nos uploads it with (--part-size, default 8MiB or larger for huge files). Any other object is treated
    as changed and transferred once. NOS -> NOS compares ETags.

Filters: --exclude and --include take globs (* matches across /, ?, [abc], [!abc]) matched against names
relative to the source and destination roots. Everything is included unless a filter matches; the last
matching filter on the command line decides. Excluded names are neither transferred nor deleted.

--delete removes destination entries the source lacks, after the transfers, and nothing at all when the
source could not be listed completely. Keys whose names would leave the destination directory (a ".."
segment, an absolute name) are refused and listed as failures. A failed file does not stop the others: the
failures are listed at the end and the exit code is 1 (--fail-fast stops at the first).

Interrupted (Ctrl-C, crash)? Run the same command again: finished files are skipped by the comparison,
uploads resume from their checkpoints (--state-dir) and downloads from <file>.nosdl. Uploads take
--content-type (default from the file name), --metadata, --cache-control and --content-disposition.`
