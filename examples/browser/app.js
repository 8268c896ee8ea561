// The page half of a presigned upload: ask our server for a URL, PUT the file to NOS with a progress bar.
// `NOS` is the global of nos-sdk's <script> bundle (see index.html); the page holds no credentials.
const { putPresigned } = window.NOS

const input = document.querySelector('#file')
const bar = document.querySelector('#progress')
const status = document.querySelector('#status')
const link = document.querySelector('#link')

input.addEventListener('change', async () => {
  const file = input.files[0]
  if (!file) return
  link.hidden = true
  bar.max = file.size || 1
  bar.value = 0
  try {
    status.textContent = 'Asking the server for an upload URL…'
    const type = file.type || 'application/octet-stream'
    const res = await fetch(`/api/presign?name=${encodeURIComponent(file.name)}&type=${encodeURIComponent(type)}`)
    if (!res.ok) throw new Error(`the server refused: ${(await res.json()).error}`)
    const { key, put, get } = await res.json()

    status.textContent = `Uploading ${file.name}…`
    const result = await putPresigned(put, file, {
      onProgress: ({ loaded, total }) => {
        bar.value = loaded
        status.textContent = `Uploading ${file.name}: ${Math.floor((loaded / total) * 100)}%`
      },
    })
    bar.value = bar.max
    status.textContent = `Uploaded ${key} (ETag ${result.etag || 'hidden by the bucket CORS rule'})`
    link.href = get
    link.hidden = false
  } catch (e) {
    status.textContent = `Upload failed: ${e.message}`
  }
})
