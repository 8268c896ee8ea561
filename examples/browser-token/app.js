// The page half of a token upload: `directUploadFile` asks our server for a token (POST /api/upload-token), then
// sends the file to NOS in chunks, keeping its place in localStorage. `NOS` is the direct-upload bundle's global.
const { directUploadFile } = window.NOS

const input = document.querySelector('#file')
const pause = document.querySelector('#pause')
const bar = document.querySelector('#progress')
const status = document.querySelector('#status')
const config = fetch('/api/config').then((r) => r.json())

input.addEventListener('change', async () => {
  const file = input.files[0]
  if (!file) return
  bar.max = file.size || 1
  bar.value = 0
  const { lbsEndpoint } = await config
  const upload = directUploadFile(file, {
    tokenUrl: '/api/upload-token',
    key: `browser-direct/${file.name}`,
    lbsEndpoint,
    onProgress: ({ loaded, total }) => {
      bar.value = loaded
      status.textContent = `Uploading ${file.name}: ${Math.floor((loaded / (total || 1)) * 100)}%`
    },
  })
  pause.disabled = false
  pause.onclick = () => upload.pause()
  try {
    const { key, etag, resumed } = await upload
    bar.value = bar.max
    status.textContent = `Uploaded ${key} (ETag ${etag}${resumed ? ', resumed' : ''})`
  } catch (e) {
    status.textContent = e.name === 'DirectUploadPausedError' ? 'Paused: pick the same file to continue.' : `Upload failed: ${e.message}`
  } finally {
    pause.disabled = true
  }
})
