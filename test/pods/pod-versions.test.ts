// Microversion discovery against a pod that answers like a real Cinder: its version list only at
// the root of the endpoint (300, no token), 401 for an unauthenticated `/v3/`. The real-pods bed
// showed the gateway advertising its own ceiling (3.71) above the pods' 3.70 because it asked
// `/v3/`; a client asking `latest` would then have been forwarded a version the pod refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PodVersions } from '../../src/discovery';
import { EndpointResolver, PodClient } from '../../src/pods';
import { parseVersion } from '../../src/http';
import type { Pod } from '../../src/store';

test('volume discovery reads the version list at the endpoint root, as a real Cinder serves it', async (t) => {
  const asked: string[] = [];
  const cinder = createServer((req, res) => {
    asked.push(req.url ?? '');
    if (req.url === '/') {
      res.writeHead(300, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ versions: [{ id: 'v3.0', status: 'CURRENT', version: '3.70', min_version: '3.0' }] }));
      return;
    }
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } }));
  });
  await new Promise<void>((r) => cinder.listen(0, '127.0.0.1', () => r()));
  t.after(() => new Promise<void>((r) => cinder.close(() => r())));
  const port = (cinder.address() as AddressInfo).port;
  const pods = new PodClient({ resolver: new EndpointResolver() });
  t.after(() => pods.close());
  const pod: Pod = {
    pod_id: 'p1', pod_name: 'Pod1', pod_az_name: 'az1', dc_name: '', az_name: 'az1', enabled: true,
    endpoints: { volumev3: `http://127.0.0.1:${port}/v3/%(project_id)s` }, created_at: '', updated_at: '',
  };
  const versions = new PodVersions({ pods, service: 'volumev3', listPods: async () => [pod], ceiling: parseVersion('3.71')! });
  await versions.refresh();
  assert.deepEqual(asked, ['/']);
  assert.deepEqual(versions.max(), parseVersion('3.70'));
});
