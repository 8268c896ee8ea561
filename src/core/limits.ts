/**
 * Every size, count and lifetime bound the SDK and the `nos` command line enforce, in one place. NOS's own limits
 * come from its documentation (https://public-cloud-doc.nos-eastchina1.126.net/api/basicConcept.html, and the
 * multipart and delete-multiple pages); the bounds NOS does not set are ours, and say so.
 *
 * The emulator keeps its own copies on purpose: it judges the SDK (docs/emulator-oracle.md).
 * @module
 */

const KiB = 1024
const MiB = 1024 * KiB

/** Shortest bucket name (NOS). */
export const MIN_BUCKET_NAME_LENGTH = 3
/** Longest bucket name (NOS). */
export const MAX_BUCKET_NAME_LENGTH = 63
/** Longest object key in UTF-8 bytes (NOS). */
export const MAX_KEY_BYTES = 1000

/** Largest single PUT, 100 MiB (NOS); larger objects go through multipart upload. */
export const MAX_PUT_SIZE = 100 * MiB
/** Smallest part of a multipart upload but the last, 16 KiB (NOS). */
export const MIN_PART_SIZE = 16 * KiB
/** Largest part of a multipart upload, 100 MiB (NOS). */
export const MAX_PART_SIZE = 100 * MiB
/** Part numbers run 1..10000 (NOS). */
export const MAX_PART_NUMBER = 10_000
/** Largest object: 10,000 parts of 100 MiB (NOS documents "1 TB"). */
export const MAX_OBJECT_SIZE = MAX_PART_NUMBER * MAX_PART_SIZE
/** Default part size of a managed upload, 8 MiB (ours; grown for large known sizes so that 10,000 parts suffice). */
export const DEFAULT_PART_SIZE = 8 * MiB

/** Largest `max-keys`/`max-parts`/`max-uploads` of a listing (NOS). */
export const MAX_LIST_LIMIT = 1000
/** Keys per multi-delete request (NOS). */
export const MAX_DELETE_KEYS = 1000

/** Default lifetime of a presigned URL in seconds (the Java SDK's 15 minutes). */
export const DEFAULT_PRESIGN_EXPIRES = 900
/**
 * Longest lifetime `presignUrl` signs: 7 days (604800 s). NOS documents no maximum (docs/protocol.md#presigned-urls);
 * this bound is ours. A week covers sharing a link, and matches the limit users know from S3; longer-lived URLs are
 * bearer credentials that cannot be revoked short of rotating the key, and an expiry years ahead approaches the
 * 32-bit Unix time limit (2038) that servers storing `Expires` as a 32-bit integer would overflow.
 */
export const MAX_PRESIGN_EXPIRES = 7 * 24 * 3600

/** Default upload-token lifetime in seconds (one hour; ours). */
export const DEFAULT_UPLOAD_TOKEN_EXPIRES = 3600
/** Longest upload-token lifetime accepted, in seconds (one year; ours). */
export const MAX_UPLOAD_TOKEN_EXPIRES = 365 * 24 * 3600

/**
 * Default direct-upload chunk size: 1 MiB. The official JS SDK sends 128 KiB and the Android SDK allows 4 KiB-4 MiB;
 * with byte-level progress a larger chunk costs nothing in feedback, and at 1 MiB the per-request round trip is a few
 * percent of a chunk's time on a mobile link while a dropped connection loses at most 1 MiB.
 */
export const DEFAULT_DIRECT_CHUNK_SIZE = 1 * MiB
/** Smallest direct-upload chunk (but the last), as the Android SDK allows. */
export const MIN_DIRECT_CHUNK_SIZE = 4 * KiB
/** Largest direct-upload chunk, as the Android SDK allows (the edge nodes' own limit is not documented). */
export const MAX_DIRECT_CHUNK_SIZE = 4 * MiB
