// A client that hung up in the middle of its request body was logged as `unhandled_error` and counted
// as a 500: the gateway had failed nobody. It is logged as `client_aborted` (info) and its request
// line and metrics carry 499, the status nginx records for "client closed request" (never sent: the
// client is gone), so 5xx counts only the gateway's and the pods' failures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { eventually, startCloud, type Cloud } from '../support/cloud';
import { call, identity } from '../support/http';

let cloud: Cloud;
let serverId: string;
const who = identity('proj-abort');
before(async () => {
  cloud = await startCloud([{ topAz: 'az1' }], { pods: { breakerThreshold: 100 } });
  const s = await call(`${cloud.compute}/v2.1/proj-abort/servers`, { method: 'POST', headers: who, body: { server: { name: 'a', flavorRef: '1', imageRef: CIRROS_IMAGE_ID } } });
  assert.equal(s.status, 202, s.text);
  serverId = s.body.server.id;
});
after(() => cloud.close());

/** Sends the request line, headers and `sent` bytes of a body announced as `length` bytes, then resets. */
function abortMidBody(base: string, path: string, length: number, sent: string): Promise<void> {
  const { port } = new URL(base);
  return new Promise((resolve) => {
    const s = net.connect(Number(port), '127.0.0.1', () => {
      const head = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Type: application/json', `Content-Length: ${length}`, ...Object.entries(who).map(([k, v]) => `${k}: ${v}`)];
      s.write(`${head.join('\r\n')}\r\n\r\n${sent}`, () => setTimeout(() => s.resetAndDestroy(), 50));
    });
    s.on('error', () => {});
    s.on('close', () => resolve());
  });
}

const requestLines = () => cloud.gw.logs.map((l) => JSON.parse(l) as Record<string, unknown>);

/** The request counter's lines of /metrics. */
async function requestCounts(): Promise<string> {
  const text = (await call(`${cloud.admin}/metrics`)).text;
  return text.split('\n').filter((l) => l.startsWith('trio2o_http_requests_total{')).join('\n');
}

for (const [name, path] of [
  ['a server action (body forwarded as sent)', () => `/v2.1/proj-abort/servers/${serverId}/action`],
  ['a server create (body read as JSON)', () => '/v2.1/proj-abort/servers'],
  ['a volume attach (body peeked)', () => `/v2.1/proj-abort/servers/${serverId}/os-volume_attachments`],
] as const) {
  test(`${name}: logged as client_aborted with 499, never unhandled_error or a 5xx`, async () => {
    const before = cloud.gw.logs.length;
    await abortMidBody(cloud.compute, path(), 1000, '{"os-stop": null, "padding": "');
    const line = await eventually(async () => requestLines().slice(before).find((l) => l.event === 'request'));
    const lines = requestLines().slice(before);
    assert.equal(lines.some((l) => l.event === 'unhandled_error'), false, JSON.stringify(lines));
    assert.equal(line.status, 499, JSON.stringify(lines));
    assert.ok(lines.some((l) => l.event === 'client_aborted' && l.level === 'info'), JSON.stringify(lines));
  });
}

test('a client hanging up while the gateway waits for a pod: client_aborted with 499', async () => {
  cloud.pods[0]!.inject({ kind: 'delay', ms: 400, match: { method: 'GET', path: /\/servers\/[^/]+$/ }, times: 1 });
  const before = cloud.gw.logs.length;
  await assert.rejects(fetch(`${cloud.compute}/v2.1/proj-abort/servers/${serverId}`, { headers: who, signal: AbortSignal.timeout(100) }));
  const line = await eventually(async () => requestLines().slice(before).find((l) => l.event === 'request'));
  const lines = requestLines().slice(before);
  assert.equal(line.status, 499, JSON.stringify(lines));
  assert.ok(lines.some((l) => l.event === 'client_aborted'), JSON.stringify(lines));
  assert.equal(lines.some((l) => l.event === 'unhandled_error'), false);
});

test('metrics count the aborts as 499, none as 500', async () => {
  const text = await requestCounts();
  assert.match(text, /trio2o_http_requests_total\{listener="compute",route="[^"]+",method="POST",status="499"\} [1-9]/);
  assert.doesNotMatch(text, /trio2o_http_requests_total\{[^}]*status="500"\}/);
});
