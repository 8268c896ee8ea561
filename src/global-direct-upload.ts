/**
 * The direct-upload `<script>` bundle (`dist/nos-sdk.direct-upload.min.js`, 13 kB gzip budget, MD5 included): token-based direct upload
 * for pages, kept out of the full `NOS` bundle so that it stays within its own budget. Loaded after the full
 * bundle, it adds what that lacks to the global `NOS`; loaded alone, `NOS` holds just these. Names the full bundle
 * already has are left as they are (check errors with `isNosErrorKind`, which works across the two copies).
 * @module
 */
import { LocalStorageCheckpointStore } from './adapters/browser/local-storage-store.js'
import { directUploadFile } from './adapters/browser/direct-upload-file.js'
import { MemoryCheckpointStore } from './transfers/checkpoint.js'
import { isDirectUploadCheckpoint } from './direct-upload/checkpoint.js'
import { directUpload } from './direct-upload/direct-upload.js'
import { DirectUpload, DirectUploadPausedError } from './direct-upload/handle.js'
import {
  DEFAULT_DIRECT_CHUNK_SIZE, DEFAULT_LBS_ENDPOINT, DEFAULT_LBS_TTL_MS, LBS_FALLBACK_ENDPOINT, MAX_DIRECT_CHUNK_SIZE, MIN_DIRECT_CHUNK_SIZE,
} from './direct-upload/types.js'
import { isAbortError, isClientException, isNosErrorKind, isNosException, isServiceException } from './core/errors.js'

/** Everything this bundle provides, by name. */
export const DIRECT_UPLOAD_GLOBALS = {
  directUpload, directUploadFile, DirectUpload, DirectUploadPausedError, isDirectUploadCheckpoint, LocalStorageCheckpointStore, MemoryCheckpointStore,
  DEFAULT_DIRECT_CHUNK_SIZE, MIN_DIRECT_CHUNK_SIZE, MAX_DIRECT_CHUNK_SIZE, DEFAULT_LBS_ENDPOINT, LBS_FALLBACK_ENDPOINT, DEFAULT_LBS_TTL_MS,
  isNosException, isNosErrorKind, isServiceException, isClientException, isAbortError,
}

const g = globalThis as { NOS?: Record<string, unknown> }
const target = (g.NOS ??= {})
for (const [name, value] of Object.entries(DIRECT_UPLOAD_GLOBALS)) if (!(name in target)) target[name] = value
