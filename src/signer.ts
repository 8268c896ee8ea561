/**
 * `nos-sdk/signer`: the NOS request signer alone (pure: no clock, no I/O, Web Crypto HMAC-SHA256), for code that
 * signs without the client, e.g. a backend that answers a browser's `sign` callback or makes presigned URLs. The
 * same names are exported by `nos-sdk`.
 * @example
 * import { presignQuery, createHmacSigner } from 'nos-sdk/signer'
 * const query = await presignQuery({ method: 'GET', bucket: 'my-bucket', key: 'a.txt' },
 *   { accessKeyId: 'AK', sign: createHmacSigner('SK'), expires: 1893456900 })
 * @module
 */
export { stringToSign, createHmacSigner, signHeaders, presignQuery } from './signing/signer.js'
export type { SignableRequest, SignFunction, HeaderAuthOptions, PresignOptions } from './signing/signer.js'
export type { Query } from './core/encoding.js'
