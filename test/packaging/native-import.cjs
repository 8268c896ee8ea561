// Node's own dynamic import(), loaded through Node's CommonJS loader (createRequire) so that vitest's module
// runner neither transforms nor resolves what it imports. Used to load dist/*.js exactly as Node users do.
'use strict'
module.exports = (url) => import(url)
