// Remote consoles (POST /servers/{id}/remote-consoles, 2.6+) and the admin's look-up of a
// console's connection by its token (GET /os-console-auth-tokens/{token}): the tokens a pod
// handed out, as Nova's console proxies validate them. The fake driver's consoles: VNC on the
// compute host, port 6969 (nova/virt/fake.py).
import { randomBytes } from 'node:crypto';
import { badRequest, conflict, jsonBody, notFound, requireAdmin, since } from './context';
import type { NovaApi, NovaDeps } from './deps';
import { findServer } from './server-lookup';

/** protocol → the console types it offers (schemas/remote_consoles.py). */
const TYPES: Record<string, string[]> = { vnc: ['novnc', 'xvpvnc'], spice: ['spice-html5'], rdp: ['rdp-html5'], serial: ['serial'], mks: ['webmks'] };
const PROXY_URL: Record<string, string> = {
  novnc: 'http://127.0.0.1:6080/vnc_auto.html', xvpvnc: 'http://127.0.0.1:6081/console', 'spice-html5': 'http://127.0.0.1:6082/spice_auto.html',
  'rdp-html5': 'http://127.0.0.1:6083/', serial: 'ws://127.0.0.1:6083/', webmks: 'http://127.0.0.1:6090/',
};

/** webob's text for a bare HTTPBadRequest. */
export const WEBOB_400 = 'The server could not comply with the request since it is either malformed or otherwise incorrect.';

interface ConsoleToken {
  instanceUuid: string;
  host: string;
  port: number;
  type: string;
}

export function registerConsoles(api: NovaApi, deps: NovaDeps): void {
  const tokens = new Map<string, ConsoleToken>();
  api.post('/servers/:id/remote-consoles', async (c) => {
    if (!since(c, '2.6')) throw notFound('The resource could not be found.');
    const s = findServer(c, deps, c.req.param('id'));
    const rc = (await jsonBody(c)).remote_console as Record<string, unknown> | undefined;
    const protocol = String(rc?.protocol ?? '');
    const type = String(rc?.type ?? '');
    if (!TYPES[protocol]?.includes(type)) throw badRequest(`Invalid input for field/attribute remote_console. Value: ${JSON.stringify(rc ?? null)}.`);
    if (s.vmState !== 'active') throw conflict(`Instance ${s.id} is not ready`);
    const token = randomBytes(16).toString('hex');
    tokens.set(token, { instanceUuid: s.id, host: s.host, port: 6969, type });
    const url = type === 'novnc' ? `${PROXY_URL[type]}?path=%3Ftoken%3D${token}` : `${PROXY_URL[type]}?token=${token}`;
    return c.json({ remote_console: { protocol, type, url } });
  });
  api.get('/os-console-auth-tokens/:token', (c) => {
    // Before 2.31 only RDP consoles could be looked up, and Nova serves none now: a bare 400.
    if (!since(c, '2.31')) throw badRequest(WEBOB_400);
    requireAdmin(c, 'os_compute_api:os-console-auth-tokens');
    const t = tokens.get(c.req.param('token'));
    if (!t) throw notFound('Token not found');
    return c.json({ console: { instance_uuid: t.instanceUuid, host: t.host, port: t.port, internal_access_path: null } });
  });
}
