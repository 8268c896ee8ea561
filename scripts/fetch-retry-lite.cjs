// fetch-retry's contract as src/core/transport.ts uses it (`retries`, `retryDelay: 0` and an async `retryOn(attempt,
// error, response)` that makes every decision and does its own waiting), for the <script> bundles only: 0.5 kB gzip
// less than the package's UMD build (which validates options the transport never varies). The npm builds use
// fetch-retry itself. Swapped in by scripts/page-bundle-plugin.mjs; the contract suite runs on the bundles.
'use strict'
module.exports = function fetchRetry(fetch, defaults) {
  return async function (input, init) {
    for (let attempt = 0; ; attempt++) {
      let response = null
      let error = null
      try {
        response = await fetch(input, init)
      } catch (e) {
        error = e
      }
      if (!(await defaults.retryOn(attempt, error, response))) {
        if (error) throw error
        return response
      }
    }
  }
}
