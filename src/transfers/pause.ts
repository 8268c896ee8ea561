/**
 * Pausing a managed upload: the reason its signal carries, and the error its promise rejects with.
 * @module
 */
import { ClientException } from '../core/errors.js'
import type { UploadCheckpoint } from './checkpoint.js'

/** The abort reason of `pause()`: the upload keeps its parts and its checkpoint. */
export const PAUSE: unique symbol = Symbol('pause')

/** The upload was paused; `checkpoint` resumes it. */
export class UploadPausedError extends ClientException {
  constructor(readonly checkpoint: UploadCheckpoint) {
    super(`upload of ${checkpoint.key} paused with ${checkpoint.parts.length} part(s) done; resume with upload({ ..., resume: checkpoint })`)
  }
}
Object.defineProperty(UploadPausedError.prototype, 'name', { value: 'UploadPausedError', writable: true, configurable: true })
