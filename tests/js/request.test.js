/*
 * Tests of engine/js/runtime/60-request.js (the `request` onRequest gets).
 * Plain ES5; throws on the first mismatch and prints nothing on success.
 *   sh tests/e2e/js.sh   (through `srcfn run`: onRequest below checks the
 *                        default request; tests/e2e/request.sh sends others)
 * Node has no such object; `node tests/js/request.test.js` checks nothing.
 */

function eq(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(what + ': got ' + JSON.stringify(actual) + ', expected ' + JSON.stringify(expected));
  }
}

function ok(cond, what) {
  if (!cond) throw new Error(what);
}


/* What `srcfn run` sends when no request is given: an empty JSON POST to the placeholder URL. */
function checkDefaultRequest(request) {
  eq(request.method, 'POST', 'method');
  eq(request.json(), {}, 'json');
  eq(request.text(), '{}', 'text');
  ok(request.headers instanceof Headers, 'headers is a Headers');
  eq(request.headers.get('Content-Type'), 'application/json', 'content type');
  ok(request.headers === request.headers, 'headers is built once');
  ok(request.url instanceof URL, 'url is a URL');
  eq(request.url.href, 'https://fn.segmentapis.com/', 'url');
  eq(request.url.searchParams.get('x'), null, 'no query');
  ok(request.url === request.url, 'url is built once');
}

function onRequest(request) {
  checkDefaultRequest(request);
}
