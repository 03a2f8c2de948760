// The baseline make bench compares srcfn's engine with: the same handler and
// request run by Node.js in a vm context with a minimal Segment object, the
// way people commonly self-host such handlers. Prints the same figures as
// bench-engine: warm invocation (us), cold start (ms: new context + compile +
// first run), heap used by one warm context (MB, approximate).
'use strict';
const fs = require('fs');
const vm = require('vm');
const path = require('path');

// usage: node-baseline.js DIR [NAME=DIR ...], as bench-engine.
const dir = process.argv[2] || path.join(__dirname, 'fixtures');
let code, req, bodyText;
function useFixture(d) {
  code = fs.readFileSync(path.join(d, 'handler.js'), 'utf8');
  req = JSON.parse(fs.readFileSync(path.join(d, 'request.json'), 'utf8'));
  bodyText = JSON.stringify(req.body);
}
useFixture(dir);

async function warmUs() {
  const c = makeContext();
  for (let i = 0; i < 200; i++) await c.ctx.onRequest(request(), {});
  const runs = 5000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await c.ctx.onRequest(request(), {});
  return Number(process.hrtime.bigint() - t0) / 1e3 / runs;
}

function makeContext() {
  const events = [];
  const Segment = {
    track(o) {
      if (!o.event) throw new Error('event is required but not defined');
      events.push({ type: 'track', event: o.event, userId: o.userId, properties: o.properties });
    }
  };
  const ctx = vm.createContext({ Segment, console });
  vm.runInContext(code, ctx);
  return { ctx, events };
}

function request() {
  return { json: () => JSON.parse(bodyText), text: () => bodyText, headers: new Headers(req.headers), url: new URL('https://fn.segmentapis.com/') };
}

async function main() {
  const coldRuns = 30;
  let t0 = process.hrtime.bigint();
  for (let i = 0; i < coldRuns; i++) {
    const c = makeContext();
    await c.ctx.onRequest(request(), {});
  }
  const coldMs = Number(process.hrtime.bigint() - t0) / 1e6 / coldRuns;

  const us = await warmUs();
  const heapMb = process.memoryUsage().heapUsed / 1048576;
  console.log(`node.warm_invocation ${us.toFixed(1)} us`);
  console.log(`node.cold_start ${coldMs.toFixed(2)} ms`);
  console.log(`node.process_heap ${heapMb.toFixed(2)} MB`);
  for (const arg of process.argv.slice(3)) {
    const at = arg.indexOf('=');
    if (at < 0) continue;
    useFixture(arg.slice(at + 1));
    console.log(`node.warm_invocation_${arg.slice(0, at)} ${(await warmUs()).toFixed(1)} us`);
  }

  // fetch round trips to a loopback server, sequential, as library.fetch_round_trip
  const http = require('http');
  const server = http.createServer((q, r) => { r.setHeader('content-type', 'application/json'); r.end('{"ok":true}'); });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/x`;
  for (let i = 0; i < 50; i++) await (await fetch(url)).json();
  t0 = process.hrtime.bigint();
  for (let i = 0; i < 200; i++) await (await fetch(url)).json();
  const fetchUs = Number(process.hrtime.bigint() - t0) / 1e3 / 200;
  console.log(`node.fetch_round_trip ${fetchUs.toFixed(1)} us`);
  server.close();
}
main();
