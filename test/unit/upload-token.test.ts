/**
 * createUploadToken (docs/protocol.md#upload-tokens): the documentation's vectors, reproduced exactly, and its
 * argument errors. Web Crypto only.
 */
import { describe, expect, it } from 'vitest'
import { createUploadToken, MAX_UPLOAD_TOKEN_EXPIRES } from '../../src/index.js'

// The NOS documentation's example: policy {"Bucket":"doc","Object":"anne.jpg","Expires":1451491200}.
const EXPIRES = 1451491200
const POLICY = 'eyJCdWNrZXQiOiJkb2MiLCJPYmplY3QiOiJhbm5lLmpwZyIsIkV4cGlyZXMiOjE0NTE0OTEyMDB9'
const at = (unix: number) => () => unix * 1000

describe('createUploadToken', () => {
  it('reproduces the documentation vector: Base64 policy and its HMAC-SHA256 with the secret "SecretKey"', async () => {
    const token = await createUploadToken({ accessKeyId: 'AccessKey', accessKeySecret: 'SecretKey', bucket: 'doc', key: 'anne.jpg', expires: 3600, now: at(EXPIRES - 3600) })
    expect(token).toBe(`UPLOAD AccessKey:v8Q5BNIJuEoi6zckOzPuC5hADL4t/zNaecakkk8STuE=:${POLICY}`)
    expect(atob(POLICY)).toBe('{"Bucket":"doc","Object":"anne.jpg","Expires":1451491200}')
  })

  it("reproduces the documentation's whole token for its sample key pair (default lifetime 3600 s)", async () => {
    const token = await createUploadToken({
      accessKeyId: 'b6ff5ed65d1041e9a56e2257a2672990', accessKeySecret: 'ae0208eea57c4bc9bc5754368c06a542', bucket: 'doc', key: 'anne.jpg', now: at(EXPIRES - 3600),
    })
    expect(token).toBe(`UPLOAD b6ff5ed65d1041e9a56e2257a2672990:+SL08gyotpanS0qQdqugiWVdDSlsfrQr6YXUNw0Nkz4=:${POLICY}`)
  })

  it('writes UTF-8 keys as they are (the policy is Base64 of UTF-8 JSON) and floors the clock to seconds', async () => {
    const token = await createUploadToken({ accessKeyId: 'AK', accessKeySecret: 'SK', bucket: 'doc', key: '相册/a "b".jpg', expires: 60, now: () => 1_000_999 })
    const policy = new TextDecoder().decode(Uint8Array.from(atob(token.split(':')[2]!), (c) => c.charCodeAt(0)))
    expect(JSON.parse(policy)).toEqual({ Bucket: 'doc', Object: '相册/a "b".jpg', Expires: 1060 })
  })

  it('argument errors are typed and name the argument', async () => {
    const ok = { accessKeyId: 'AK', accessKeySecret: 'SK', bucket: 'doc', key: 'k' }
    const cases: [object, string, RegExp][] = [
      [{ expires: 0 }, 'InvalidArgument', /^expires must be an integer number of seconds from 1/],
      [{ expires: 1.5 }, 'InvalidArgument', /^expires/],
      [{ expires: 1e21 }, 'InvalidArgument', /^expires/],
      [{ expires: MAX_UPLOAD_TOKEN_EXPIRES + 1 }, 'InvalidArgument', /^expires/],
      [{ accessKeySecret: '' }, 'InvalidArgument', /^accessKeySecret is required/],
      [{ accessKeyId: 'a:b' }, 'InvalidArgument', /^accessKeyId must not contain/],
      [{ bucket: 'No' }, 'InvalidBucketName', /^bucket/],
      [{ key: '' }, 'InvalidObjectName', /^key is required/],
      [{ now: 5 }, 'InvalidArgument', /^now must be a function/],
    ]
    for (const [bad, name, message] of cases) {
      await expect(createUploadToken({ ...ok, ...bad } as never), JSON.stringify(bad)).rejects.toMatchObject({ name, message: expect.stringMatching(message) })
    }
  })
})
