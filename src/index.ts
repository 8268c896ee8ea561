/**
 * nos-sdk: NetEase Object Storage for every JavaScript runtime (browsers, Node, Deno, Bun, edge functions).
 *
 * @example
 * import { NosClient } from 'nos-sdk'
 * const client = new NosClient({ accessKeyId: 'AK', accessKeySecret: 'SK' })
 * await client.putObject({ bucket: 'my-bucket', key: 'hello.txt', body: 'hello' })
 * @module
 */
export { NosClient } from './client/nos-client.js'
export type { BucketParams, ObjectParams } from './client/nos-client.js'
// The base class that holds NosClient's bucket methods: exported (as a type) so that its methods appear in the API
// report and the reference, where NosClient lists them as inherited.
export type { BucketMethods } from './client/bucket-methods.js'
export { isBrowserLike } from './core/config.js'
export { NOS_SDK_BUILD } from './core/build.js'
export type { NosClientOptions, NosConfig } from './core/config.js'
export type { MetadataEncoding } from './core/metadata.js'

export {
  NOSException,
  ClientException,
  InvalidBucketName,
  InvalidObjectName,
  FileOpenModeError,
  XmlParseError,
  SerializationError,
  ConnectionError,
  ConnectionTimeout,
  InvalidArgument,
  CorsExposeHeaderError,
  SigningPolicyError,
  ServiceException,
  MultiObjectDeleteException,
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  MethodNotAllowedError,
  ConflictError,
  LengthRequiredError,
  RequestedRangeNotSatisfiableError,
  InternalServerErrorError,
  NotImplementedError,
  ServiceUnavailableError,
  isNosException,
  isServiceException,
  isClientException,
  isNosErrorKind,
  isAbortError,
} from './core/errors.js'
export type { NosErrorFields, DeleteError } from './core/errors.js'

export { stringToSign, createHmacSigner, signHeaders, presignQuery } from './signing/signer.js'
export type { Query } from './core/encoding.js'
export type { SignableRequest, SignFunction, HeaderAuthOptions, PresignOptions } from './signing/signer.js'
export { DEFAULT_ENDPOINT } from './core/endpoint.js'
export type { Endpoint } from './core/endpoint.js'
export { createSparkMd5, md5Hex } from './core/md5.js'
export { createJsMd5 } from './core/md5-js.js'
export { createWasmMd5, isWasmMd5Available } from './core/md5-wasm.js'
export type { Md5Hasher, Md5Factory } from './core/md5.js'
export type { BodyInput } from './core/body.js'
export { DEFAULT_MAX_RETRIES } from './core/retry-policy.js'
export type { RetryOptions, RetryPolicy } from './core/retry-policy.js'
// NOS limits, defined once (docs/protocol.md#limits-and-names).
export {
  MAX_KEY_BYTES,
  MAX_PART_NUMBER,
  MAX_LIST_LIMIT,
  MAX_DELETE_KEYS,
  MAX_PUT_SIZE,
  MAX_PART_SIZE,
  MIN_PART_SIZE,
  DEFAULT_PART_SIZE,
  DEFAULT_PRESIGN_EXPIRES,
  DEFAULT_UPLOAD_TOKEN_EXPIRES,
  MAX_UPLOAD_TOKEN_EXPIRES,
} from './core/limits.js'

export type { CallOptions, RequestResult, BodyOptions, ObjectHeaderOptions } from './operations/common.js'
export type {
  PutObjectParams,
  PutObjectResult,
  GetObjectParams,
  GetObjectResult,
  HeadObjectResult,
  RangeInput,
  DeleteObjectsParams,
  DeleteObjectsResult,
  CopyObjectParams,
} from './operations/objects.js'
export type {
  CreateMultipartUploadParams,
  CreateMultipartUploadResult,
  UploadPartParams,
  CompletedPart,
  CompleteMultipartUploadParams,
  CompleteMultipartUploadResult,
} from './operations/multipart.js'
export type {
  ListPartsParams,
  ListPartsResult,
  PartInfo,
  ListMultipartUploadsParams,
  ListMultipartUploadsResult,
  UploadInfo,
} from './operations/multipart-listing.js'
export type { ListObjectsParams, ListObjectsResult, ObjectSummary } from './operations/listing.js'
export type { BucketInfo, ListBucketsResult, CreateBucketParams, CorsRule } from './operations/buckets.js'
export type { PresignParams, PresignedRequest } from './operations/presign.js'
export { ManagedUpload } from './transfers/managed-upload.js'
export { UploadPausedError } from './transfers/pause.js'
export { DEFAULT_CONCURRENCY, DEFAULT_PART_RETRIES } from './transfers/upload.js'
export type { UploadParams, UploadResult, UploadProgress } from './transfers/upload.js'
export { CleanupUploadsError, CLEANUP_ABORT_ATTEMPTS } from './transfers/cleanup-uploads.js'
export type { CleanupUploadsParams, CleanedUpload } from './transfers/cleanup-uploads.js'
export { MemoryCheckpointStore, isCheckpoint } from './transfers/checkpoint.js'
export type { UploadCheckpoint, CheckpointStore } from './transfers/checkpoint.js'
export type { UploadSource, RandomAccessSource, SequentialSource } from './transfers/sources.js'
export { createPolicySigner, createSigningHandler } from './signing/signing-policy.js'
export { remoteSigner } from './signing/remote-signer.js'
export type { SigningPolicy, ParsedStringToSign } from './signing/signing-policy.js'
export { directUpload } from './direct-upload/direct-upload.js'
export { DirectUpload, DirectUploadPausedError } from './direct-upload/handle.js'
export { isDirectUploadCheckpoint } from './direct-upload/checkpoint.js'
export {
  DEFAULT_DIRECT_CHUNK_SIZE,
  MIN_DIRECT_CHUNK_SIZE,
  MAX_DIRECT_CHUNK_SIZE,
  DEFAULT_LBS_ENDPOINT,
  LBS_FALLBACK_ENDPOINT,
  DEFAULT_LBS_TTL_MS,
} from './direct-upload/types.js'
export type {
  DirectUploadParams,
  DirectUploadResult,
  DirectUploadProgress,
  DirectUploadCheckpoint,
  DirectUploadSettings,
} from './direct-upload/types.js'
export { createUploadToken } from './signing/upload-token.js'
export type { UploadTokenParams } from './signing/upload-token.js'
export { createUploadTokenHandler } from './signing/upload-token-handler.js'
export type { UploadTokenPolicy, UploadTokenRequest, UploadTokenAnswer } from './signing/upload-token-handler.js'
export type { PutObjectMetaParams } from './operations/object-meta.js'
export type { DeduplicateParams, DeduplicateResult, DeduplicationStatus } from './operations/deduplication.js'
