/**
 * CPU per call of the fast route's own pieces, in-process, one at a time: what each would save per
 * forwarded read if it were free. Complements the ablation in BENCHMARKS.md (whole requests through
 * wrk), whose round-to-round noise on this machine is larger than any one piece.
 *
 *   node --import tsx bench/fast-route-pieces.ts
 *
 * The body is a simulated pod's answer to GET /v2.1/{p}/servers/{id} (1.4 kB, pod AZ `nova`, top AZ
 * `az1`, links to the pod's root).
 */
import { randomUUID } from 'node:crypto';
import { CallSignal } from '../src/pods/call-signal';
import { forwardRequestHeaders, responseHeaders } from '../src/pods/headers';
import { azToTop } from '../src/proxy/az';
import { rewriteLinks } from '../src/proxy/rewrite';
import { createLogger } from '../src/ops/log';

const TEXT = JSON.stringify({"server": {"accessIPv4": "", "accessIPv6": "", "addresses": {"private": [{"version": 4, "addr": "10.0.0.12", "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:8a:a3:19"}]}, "created": "2026-12-06T10:03:37Z", "flavor": {"id": "1", "links": [{"rel": "bookmark", "href": "http://127.0.0.1:8774/compute/bench/flavors/1"}]}, "hostId": "a71b8114b1c6d5166cbf6d3b7c7e5d5b77a57856f264c5c081b5a201", "id": "35a8e81c-45a8-4383-addd-7ec50204facb", "image": {"id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "links": [{"rel": "bookmark", "href": "http://127.0.0.1:8774/compute/bench/images/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"}]}, "links": [{"rel": "self", "href": "http://127.0.0.1:8774/compute/v2.1/bench/servers/35a8e81c-45a8-4383-addd-7ec50204facb"}, {"rel": "bookmark", "href": "http://127.0.0.1:8774/compute/bench/servers/35a8e81c-45a8-4383-addd-7ec50204facb"}], "metadata": {}, "name": "b", "status": "ACTIVE", "tenant_id": "bench", "user_id": "sim-user", "updated": "2026-12-06T10:03:37Z", "OS-DCF:diskConfig": "MANUAL", "progress": 0, "OS-EXT-AZ:availability_zone": "nova", "config_drive": "", "key_name": null, "OS-SRV-USG:launched_at": "2026-12-06T10:03:37.103000", "OS-SRV-USG:terminated_at": null, "security_groups": [{"name": "default"}], "OS-EXT-STS:task_state": null, "OS-EXT-STS:vm_state": "active", "OS-EXT-STS:power_state": 1, "os-extended-volumes:volumes_attached": []}});
const POD_ROOT = 'http://127.0.0.1:8774/compute';
const GW_ROOT = 'http://127.0.0.1:40000';
const az = azToTop('az1', { one: 'server', many: 'servers', field: 'OS-EXT-AZ:availability_zone' });
let kept = 0;
const log = createLogger('info', (line) => void (kept += line.length));
const incoming = { host: '127.0.0.1:40000', 'x-auth-token': 'bench', 'x-project-id': 'bench', 'x-user-id': 'bench-user', 'x-roles': 'member' };
const podHeaders = {
  'content-type': 'application/json',
  'content-length': '1395',
  'x-compute-request-id': `req-${randomUUID()}`,
  'x-openstack-request-id': `req-${randomUUID()}`,
  'openstack-api-version': 'compute 2.1',
  'x-openstack-nova-api-version': '2.1',
  vary: 'OpenStack-API-Version, X-OpenStack-Nova-API-Version',
  date: new Date().toUTCString(),
  connection: 'keep-alive',
  'keep-alive': 'timeout=5',
};
const noop = () => {};
let sink: unknown;

function measure(name: string, f: () => unknown): void {
  for (let i = 0; i < 20_000; i++) sink = f();
  const n = 200_000;
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) sink = f();
  const used = process.cpuUsage(before);
  console.log(`| ${name} | ${((used.user + used.system) / n).toFixed(2)} |`);
}

console.log('| piece | CPU µs per call |\n|---|---|');
const json = JSON.parse(TEXT);
measure('JSON.parse of the answer', () => JSON.parse(TEXT));
measure('AZ rewrite in the text (parsed JSON given)', () => az.inText!(TEXT, json));
measure('link rewrite of the body', () => rewriteLinks(TEXT, POD_ROOT, GW_ROOT));
measure('link rewrite of a header value without links', () => rewriteLinks('application/json', POD_ROOT, GW_ROOT));
measure('access-log line (built and serialized, not written)', () =>
  log.info('request', { request_id: `req-${json.server.id}`, listener: 'compute', method: 'GET', path: `/v2.1/bench/servers/${json.server.id}`, route: '/v2.1/:project_id/servers/:id', status: 200, duration_ms: 1.234, project_id: 'bench', user_id: 'bench-user', pod: 'Pod1' }),
);
measure('randomUUID request id', () => `req-${randomUUID()}`);
measure('AbortController + its signal', () => new AbortController().signal);
measure('AbortController + signal + abort listener added and removed', () => {
  const ac = new AbortController();
  ac.signal.addEventListener('abort', noop, { once: true });
  ac.signal.removeEventListener('abort', noop);
  return ac;
});
measure('CallSignal + abort listener added and removed', () => {
  const s = new CallSignal();
  s.addEventListener('abort', noop);
  s.removeEventListener('abort', noop);
  return s;
});
measure('setTimeout + clearTimeout', () => clearTimeout(setTimeout(noop, 30_000)));
measure('headers toward the pod (allow-list)', () => forwardRequestHeaders(incoming, 'req-1'));
measure('pod answer headers (hop-by-hop dropped)', () => responseHeaders(podHeaders));
void sink;
void kept;
