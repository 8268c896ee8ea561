// Node's own dynamic import(), reached through Node's CommonJS loader (createRequire) so that vitest's module
// runner neither transforms nor resolves what it loads: dist/*.js is loaded exactly as Node users load it.
'use strict'
module.exports = (url) => import(url)
