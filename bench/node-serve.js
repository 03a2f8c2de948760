// The Node.js baseline of `make bench` (bench/serve.sh): a plain HTTP server
// running the benchmark handler (bench/fixtures/handler.js) in a `vm` context
// with a minimal Segment object, the usual way people self-host such
// handlers. Each POST body is read whole (up to 512 KiB), parsed by the
// handler through request.json(), and answered 200 {"ok":true} once the
// handler finished; emitted events are written as JSON lines to stdout, as
// srcfn serve's endpoint "-" does. Prints its port on stderr.
// usage: node node-serve.js [FUNCTION_DIR] [PORT]
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const vm = require('vm');

const dir = process.argv[2] || path.join(__dirname, 'fixtures');
const code = fs.readFileSync(path.join(dir, 'handler.js'), 'utf8');
const MAX_BODY = 512 * 1024;

const out = [];
const Segment = {
  track(o) {
    if (!o.event) throw new Error('event is required but not defined');
    if (!o.userId && !o.anonymousId) throw new Error('One of userId,anonymousId is required but not defined');
    out.push({ type: 'track', event: o.event, userId: o.userId, properties: o.properties });
  }
};
const ctx = vm.createContext({ Segment, console });
vm.runInContext(code, ctx);

function makeRequest(req, text) {
  return {
    json: () => JSON.parse(text),
    text: () => text,
    headers: new Headers(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
    url: new URL('https://fn.segmentapis.com/' + (req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''))
  };
}

function reply(res, status, doc) {
  const body = JSON.stringify(doc);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST') return reply(res, 405, { error: 'only POST is accepted' });
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size <= MAX_BODY) chunks.push(c);
  });
  req.on('end', async () => {
    if (size > MAX_BODY) return reply(res, 413, { error: 'the body is larger than 512 KiB' });
    try {
      out.length = 0;
      await ctx.onRequest(makeRequest(req, Buffer.concat(chunks).toString('utf8')), {});
      for (const e of out) process.stdout.write(JSON.stringify(e) + '\n');
      reply(res, 200, { ok: true });
    } catch (e) {
      reply(res, 500, { error: String(e && e.message) });
    }
  });
});
server.keepAliveTimeout = 10000;
server.listen(Number(process.argv[3] || 0), '127.0.0.1', () => console.error(server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
