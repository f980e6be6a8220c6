// The floor of a reverse proxy written in Node: node:http server → undici Pool (keep-alive) →
// upstream, the body read whole and written back (as the gateway does for a JSON answer it
// rewrites), no routing, no logging, no auth. What Node itself costs per forwarded request on
// this machine; the gateway cannot cost less.
//   node bench/floor-proxy.mjs PORT UPSTREAM_ORIGIN PATH_PREFIX
// Prints {"listening":PORT} when ready.
import { createServer } from 'node:http';
import { Pool } from 'undici';

const [port, upstream, prefix = ''] = process.argv.slice(2);
const pool = new Pool(upstream, { connections: 64 });
const PASSED = ['content-type', 'x-compute-request-id'];

createServer(async (req, res) => {
  try {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const up = await pool.request({
      method: req.method,
      path: prefix + req.url,
      headers: { 'x-auth-token': req.headers['x-auth-token'] ?? '', 'x-project-id': req.headers['x-project-id'] ?? '', 'x-roles': req.headers['x-roles'] ?? '', 'content-type': req.headers['content-type'] ?? 'application/json' },
      body: chunks.length ? Buffer.concat(chunks) : null,
    });
    const text = await up.body.text();
    const headers = { 'content-length': Buffer.byteLength(text) };
    for (const h of PASSED) if (up.headers[h] !== undefined) headers[h] = up.headers[h];
    res.writeHead(up.statusCode, headers);
    res.end(text);
  } catch (err) {
    res.writeHead(502);
    res.end(String(err));
  }
}).listen(Number(port), '127.0.0.1', () => console.log(JSON.stringify({ listening: Number(port) })));
