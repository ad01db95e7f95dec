// Load client for bench/streams.sh: opens N streaming chat completions at once, each on its own
// connection, and checks that every stream receives every frame: CHUNKS content chunks + the finish
// chunk + the usage chunk (include_usage) + [DONE], in order, with the content intact. Prints
// progress lines and one RESULT line:
//   RESULT streams=<n> complete=<n> failed=<n> frames=<n> expected_frames=<n> all_open_ms=<ms> total_ms=<ms>
// "all_open" is the moment every stream had its first content chunk: from then until the first
// stream ends, N streams are open at the same time (streams.sh samples the gateway's RSS then).
// Node's own http client, no dependencies. Usage:
//   node streams-client.mjs <url> <streams> <chunks> [model]
import http from 'node:http';

const [url, nArg, chunksArg, model = 'sim-small'] = process.argv.slice(2);
const N = Number(nArg);
const CHUNKS = Number(chunksArg);
if (!url || !(N > 0) || !(CHUNKS > 0)) {
  console.error('usage: node streams-client.mjs <url> <streams> <chunks> [model]');
  process.exit(2);
}
const body = JSON.stringify({
  model, stream: true, stream_options: { include_usage: true },
  messages: [{ role: 'user', content: 'Say hello' }],
});
const expectedFrames = CHUNKS + 2 + 1; // content chunks, finish chunk, usage chunk, [DONE]
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const t0 = Date.now();
let firstChunk = 0, complete = 0, failed = 0, frames = 0, allOpenMs = -1, firstEndMs = -1;
const errors = new Map();

function fail(reason) {
  failed++;
  errors.set(reason, (errors.get(reason) || 0) + 1);
  settle();
}
function settle() {
  if (firstEndMs < 0) firstEndMs = Date.now() - t0;
  if (complete + failed === N) finish();
}
function finish() {
  const total = Date.now() - t0;
  for (const [r, n] of errors) console.log(`error x${n}: ${r}`);
  console.log(`RESULT streams=${N} complete=${complete} failed=${failed} frames=${frames} ` +
    `expected_frames=${N * expectedFrames} all_open_ms=${allOpenMs} first_end_ms=${firstEndMs} total_ms=${total}`);
  process.exit(failed === 0 && complete === N ? 0 : 1);
}

function open(i) {
  const req = http.request(url, {
    method: 'POST', agent,
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'content-length': Buffer.byteLength(body) },
  }, (res) => {
    if (res.statusCode !== 200) { res.resume(); return fail(`status ${res.statusCode}`); }
    res.setEncoding('utf8');
    let buf = '', seen = 0, content = 0, done = false, gotFirst = false;
    res.on('data', (d) => {
      buf += d;
      let at;
      while ((at = buf.indexOf('\n\n')) >= 0) {
        const event = buf.slice(0, at); buf = buf.slice(at + 2);
        const data = event.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (!data) continue;
        seen++; frames++;
        if (data === '[DONE]') { done = true; continue; }
        let j;
        try { j = JSON.parse(data); } catch { return res.destroy(new Error('unparseable frame')); }
        if (j.error) return res.destroy(new Error('error event: ' + JSON.stringify(j.error).slice(0, 120)));
        const delta = j.choices && j.choices[0] && j.choices[0].delta;
        if (delta && typeof delta.content === 'string' && delta.content.length > 0) {
          content++;
          if (!gotFirst) {
            gotFirst = true;
            if (++firstChunk === N) {
              allOpenMs = Date.now() - t0;
              console.log(`ALL_OPEN ${N} streams open at ${allOpenMs} ms`);
            }
          }
        }
      }
    });
    res.on('end', () => {
      if (!done) return fail('ended without [DONE]');
      if (content !== CHUNKS) return fail(`content chunks ${content} != ${CHUNKS}`);
      if (seen !== expectedFrames) return fail(`frames ${seen} != ${expectedFrames}`);
      complete++; settle();
    });
    res.on('error', (e) => fail(String(e.message || e)));
  });
  req.on('error', (e) => fail(String(e.code || e.message || e)));
  req.end(body);
}

// Open in bursts of 200 per 10 ms, so the client itself does not stall its event loop for seconds.
let next = 0;
(function burst() {
  for (let k = 0; k < 200 && next < N; k++) open(next++);
  if (next < N) setTimeout(burst, 10);
  else console.log(`OPENED ${N} requests in ${Date.now() - t0} ms`);
})();
const progress = setInterval(() => {
  console.log(`PROGRESS t=${Date.now() - t0}ms first_chunk=${firstChunk} complete=${complete} failed=${failed}`);
}, 5000);
progress.unref();
