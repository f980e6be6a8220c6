// Bodies stream both ways: a large upload flows to the pod while the pod's reply already
// streams back (the gateway never buffers either side).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { makeClient, podAt, startUpstream } from './upstream';

const CHUNK = 64 * 1024;
const CHUNKS = 128; // 8 MiB

test('8 MiB request body streams up while the echoed response streams down', async (t) => {
  let podReceived = 0;
  const up = await startUpstream((req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.flushHeaders(); // answer before the upload ends: only possible if both sides stream
    req.on('data', (c: Buffer) => (podReceived += c.length));
    req.pipe(res);
  });
  t.after(() => up.close());
  const pods = makeClient();
  t.after(() => pods.close());

  let releaseTail!: () => void;
  const tailMayGo = new Promise<void>((r) => (releaseTail = r));
  const sent = createHash('sha256');
  async function* upload() {
    for (let i = 0; i < CHUNKS; i++) {
      // Hold back the second half until the response headers are in: a buffering client
      // would never resolve the request and the test would time out.
      if (i === CHUNKS / 2) await tailMayGo;
      const buf = Buffer.alloc(CHUNK, i % 251);
      sent.update(buf);
      yield buf;
    }
  }

  const res = await pods.request({
    pod: podAt(up.origin),
    service: 'volumev3',
    method: 'PUT',
    path: '/v3/p1/volumes/v1/upload',
    projectId: 'p1',
    headers: { 'content-type': 'application/octet-stream' },
    body: Readable.from(upload()),
    requestId: 'req-stream',
  });
  assert.equal(res.status, 200);
  assert.ok(podReceived < CHUNK * CHUNKS, 'headers arrived before the upload finished');
  releaseTail();

  const got = createHash('sha256');
  let received = 0;
  for await (const c of res.body) {
    got.update(c as Buffer);
    received += (c as Buffer).length;
  }
  assert.equal(received, CHUNK * CHUNKS);
  assert.equal(podReceived, CHUNK * CHUNKS);
  assert.equal(got.digest('hex'), sent.digest('hex'));
});
