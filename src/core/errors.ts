/**
 * The exception family of the official Python SDK (docs/architecture.md#typed-errors-first), recognisable without
 * `instanceof` (a `Symbol.for` brand survives ESM/CJS duplicates and realms).
 * @module
 */

const BRAND = Symbol.for('nos-sdk.NOSException')

/** Fields every NOS exception carries. */
export interface NosErrorFields {
  /** HTTP status of the response, when there was one. */
  statusCode?: number | undefined
  /** The HTTP reason phrase, as the seed's `error_type` (e.g. `Not Found`). */
  errorType?: string | undefined
  /** NOS error code from the body (e.g. `NoSuchKey`), or a client-side code. */
  errorCode?: string | undefined
  /** `x-nos-request-id` of the response. */
  requestId?: string | undefined
  /** The resource of the error body (or the request's canonical resource). */
  resource?: string | undefined
  /** Underlying error (network failure, parse error...). */
  cause?: unknown
}

/** Removes credentials from text that may be shown to a user (docs/architecture.md#no-secret-in-a-message). */
export function redact(text: string): string {
  return text
    .replace(/(Signature=)[^&\s"'<]+/gi, '$1<redacted>')
    .replace(/(NOS\s+[^:\s]+:)[A-Za-z0-9+/=]+/g, '$1<redacted>')
}

/**
 * Base class of every error this SDK throws.
 *
 * @example
 * try { await client.headObject({ bucket, key }) } catch (e) { if (isNosException(e)) console.log(e.errorCode) }
 */
export class NOSException extends Error {
  readonly statusCode: number | undefined
  readonly errorType: string | undefined
  readonly errorCode: string | undefined
  readonly requestId: string | undefined
  readonly resource: string | undefined

  constructor(message: string, fields: NosErrorFields = {}) {
    super(redact(message), fields.cause !== undefined ? { cause: fields.cause } : undefined)
    this.statusCode = fields.statusCode
    this.errorType = fields.errorType
    this.errorCode = fields.errorCode
    this.requestId = fields.requestId
    this.resource = fields.resource
    Object.defineProperty(this, BRAND, { value: true })
  }

  /** The class names of this error and its ancestors, for realm-independent checks. */
  get kinds(): string[] {
    const out: string[] = []
    let proto = Object.getPrototypeOf(this)
    while (proto && proto !== Error.prototype) {
      // Own `name` set below: constructor names do not survive minification.
      if (Object.prototype.hasOwnProperty.call(proto, 'name')) out.push(proto.name)
      proto = Object.getPrototypeOf(proto)
    }
    return out
  }
}

/** An error raised on the client side: bad input, network failures, unreadable bodies, unparsable responses. */
export class ClientException extends NOSException {}
/** The bucket name is missing or breaks NOS naming rules (3-63 of `a-z 0-9 -`). */
export class InvalidBucketName extends ClientException {}
/** The object key is missing, empty or longer than 1000 UTF-8 bytes. */
export class InvalidObjectName extends ClientException {}
/** The body cannot be read or is of an unsupported type. */
export class FileOpenModeError extends ClientException {}
/** A response body was not the XML (or JSON) expected. */
export class XmlParseError extends ClientException {}
/** An object body could not be serialised to JSON (cycles, BigInt). */
export class SerializationError extends ClientException {}
/** The request could not reach NOS or the connection broke. */
export class ConnectionError extends ClientException {}
/** An attempt exceeded the configured `timeout`. */
export class ConnectionTimeout extends ConnectionError {}
/** An argument other than bucket, key or body is invalid (limits, part numbers, metadata, expiry...). */
export class InvalidArgument extends ClientException {}
/**
 * A browser could not read a response header that NOS sent, because the bucket's CORS rule does not expose it.
 * The message names the rule to add.
 */
export class CorsExposeHeaderError extends ClientException {}
/** A signing policy (or the signing endpoint) refused to sign a request; the message says which rule. */
export class SigningPolicyError extends ClientException {}

/** NOS answered with an error status. */
export class ServiceException extends NOSException {}
/** One entry of a multi-delete failure. */
export interface DeleteError {
  key: string
  code: string
  message: string
}
/** Some keys of a `deleteObjects` call could not be deleted; `errors` lists each. */
export class MultiObjectDeleteException extends ServiceException {
  readonly errors: DeleteError[]
  /** Keys that were deleted before the failure was known. */
  readonly deleted: { key: string }[]
  constructor(errors: DeleteError[], deleted: { key: string }[], fields: NosErrorFields = {}) {
    const shown = errors
      .slice(0, 5)
      .map((e) => `${e.key}: ${e.code}`)
      .join(', ')
    super(`${errors.length} object(s) could not be deleted: ${shown}${errors.length > 5 ? ', ...' : ''}`, fields)
    this.errors = errors
    this.deleted = deleted
  }
}
/** HTTP 400. */
export class BadRequestError extends ServiceException {}
/** HTTP 403. */
export class ForbiddenError extends ServiceException {}
/** HTTP 404. */
export class NotFoundError extends ServiceException {}
/** HTTP 405. */
export class MethodNotAllowedError extends ServiceException {}
/** HTTP 409. */
export class ConflictError extends ServiceException {}
/** HTTP 411. */
export class LengthRequiredError extends ServiceException {}
/** HTTP 416. */
export class RequestedRangeNotSatisfiableError extends ServiceException {}
/** HTTP 500. */
export class InternalServerErrorError extends ServiceException {}
/** HTTP 501. */
export class NotImplementedError extends ServiceException {}
/** HTTP 503. */
export class ServiceUnavailableError extends ServiceException {}

/** The seed's status -> class mapping (nos/exceptions.py `HTTP_EXCEPTIONS`). Other statuses: `ServiceException`. */
const HTTP_EXCEPTIONS: Readonly<Record<number, typeof ServiceException>> = {
  400: BadRequestError,
  403: ForbiddenError,
  404: NotFoundError,
  405: MethodNotAllowedError,
  409: ConflictError,
  411: LengthRequiredError,
  416: RequestedRangeNotSatisfiableError,
  500: InternalServerErrorError,
  501: NotImplementedError,
  503: ServiceUnavailableError,
}

/** Builds the exception for an error status. @example serviceError(404, { errorCode: 'NoSuchKey' }, 'not found') */
export function serviceError(statusCode: number, fields: NosErrorFields, message: string): ServiceException {
  const Cls = HTTP_EXCEPTIONS[statusCode] ?? ServiceException
  return new Cls(message, { ...fields, statusCode })
}

// Names are set explicitly because minifiers rename classes.
for (const [Cls, name] of [
  [NOSException, 'NOSException'],
  [ClientException, 'ClientException'],
  [InvalidBucketName, 'InvalidBucketName'],
  [InvalidObjectName, 'InvalidObjectName'],
  [FileOpenModeError, 'FileOpenModeError'],
  [XmlParseError, 'XmlParseError'],
  [SerializationError, 'SerializationError'],
  [ConnectionError, 'ConnectionError'],
  [ConnectionTimeout, 'ConnectionTimeout'],
  [InvalidArgument, 'InvalidArgument'],
  [CorsExposeHeaderError, 'CorsExposeHeaderError'],
  [SigningPolicyError, 'SigningPolicyError'],
  [ServiceException, 'ServiceException'],
  [MultiObjectDeleteException, 'MultiObjectDeleteException'],
  [BadRequestError, 'BadRequestError'],
  [ForbiddenError, 'ForbiddenError'],
  [NotFoundError, 'NotFoundError'],
  [MethodNotAllowedError, 'MethodNotAllowedError'],
  [ConflictError, 'ConflictError'],
  [LengthRequiredError, 'LengthRequiredError'],
  [RequestedRangeNotSatisfiableError, 'RequestedRangeNotSatisfiableError'],
  [InternalServerErrorError, 'InternalServerErrorError'],
  [NotImplementedError, 'NotImplementedError'],
  [ServiceUnavailableError, 'ServiceUnavailableError'],
] as const) {
  Object.defineProperty(Cls.prototype, 'name', { value: name, writable: true, configurable: true })
}

function hasKind(e: unknown, kind: string): boolean {
  if (typeof e !== 'object' || e === null || !(e as Record<symbol, unknown>)[BRAND]) return false
  const kinds = (e as NOSException).kinds
  return Array.isArray(kinds) && kinds.includes(kind)
}

/** True for any error thrown by nos-sdk, across realms and ESM/CJS copies. @example if (isNosException(e)) e.requestId */
export function isNosException(e: unknown): e is NOSException {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true
}
/** True for a `ServiceException` (NOS answered with an error). @example if (isServiceException(e) && e.statusCode === 404) console.log('not there') */
export function isServiceException(e: unknown): e is ServiceException {
  return hasKind(e, 'ServiceException')
}
/** True for a `ClientException`. @example if (isClientException(e)) console.error(e.message) */
export function isClientException(e: unknown): e is ClientException {
  return hasKind(e, 'ClientException')
}
/**
 * True when `e` is an instance of the named exception class (or a subclass), across realms.
 * @example if (isNosErrorKind(e, 'NotFoundError')) console.log('not there')
 */
export function isNosErrorKind(e: unknown, kind: string): e is NOSException {
  return hasKind(e, kind)
}

/** True for the platform `AbortError` a caller's `signal` produces. */
export function isAbortError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: string }).name === 'AbortError'
}
