/**
 * Page side of test/browser/direct-upload.spec.ts (loaded by /direct.html): `window.direct.upload()` uploads the
 * file picked in `#file` with `directUploadFile` from the npm ESM build (tokens from the backend's /upload-token),
 * recording every progress event; with `reloadAt` the page reloads itself once that many bytes were reported,
 * in the middle of a chunk.
 */
import { directUploadFile } from '/dist/browser.js'

const CHECKPOINT_PREFIX = 'nos-sdk:checkpoint:'

window.direct = {
  async upload({ key, lbsEndpoint, reloadAt }) {
    const file = document.querySelector('#file').files[0]
    const events = []
    const onProgress = (p) => {
      events.push({ loaded: p.loaded, confirmed: p.confirmed, total: p.total })
      if (reloadAt !== undefined && p.loaded >= reloadAt && !window.reloading) {
        window.reloading = true
        location.reload()
      }
    }
    const result = await directUploadFile(file, { tokenUrl: '/upload-token', key, lbsEndpoint, onProgress })
    return { result, events }
  },
  checkpoints: () => Object.keys(localStorage).filter((k) => k.startsWith(CHECKPOINT_PREFIX)).map((k) => JSON.parse(localStorage.getItem(k))),
}
window.dispatchEvent(new Event('direct-ready'))
