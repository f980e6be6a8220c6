// /os-assisted-volume-snapshots (admin or service; what Cinder's file-based volume drivers call):
// the pod's Nova snapshots an attached volume's file for Cinder. A volume attached to no server of
// this pod is VolumeBDMNotFound (400), as assisted_volume_snapshots.py answers.
import { badRequest, jsonBody, requireAdmin } from './context';
import type { NovaApi, NovaDeps } from './deps';

export function registerAssistedSnapshots(api: NovaApi, deps: NovaDeps): void {
  const attached = (volumeId: string) => [...deps.state.servers.values()].some((s) => s.volumes.some((v) => v.volumeId === volumeId));
  const noBdm = (volumeId: string) => badRequest(`No volume Block Device Mapping with id ${volumeId}.`);
  api.post('/os-assisted-volume-snapshots', async (c) => {
    requireAdmin(c, 'os_compute_api:os-assisted-volume-snapshots:create');
    const snap = (await jsonBody(c)).snapshot as { volume_id?: unknown; create_info?: { snapshot_id?: unknown } } | undefined;
    if (!snap || typeof snap.volume_id !== 'string' || !snap.create_info || typeof snap.create_info.snapshot_id !== 'string') {
      throw badRequest("Invalid input for field/attribute snapshot. 'volume_id' and 'create_info' are required properties");
    }
    if (!attached(snap.volume_id)) throw noBdm(snap.volume_id);
    return c.json({ snapshot: { id: snap.create_info.snapshot_id, volumeId: snap.volume_id } });
  });
  api.delete('/os-assisted-volume-snapshots/:id', (c) => {
    requireAdmin(c, 'os_compute_api:os-assisted-volume-snapshots:delete');
    let volumeId: unknown;
    try {
      volumeId = (JSON.parse(c.req.query('delete_info') ?? '') as { volume_id?: unknown }).volume_id;
    } catch (err) {
      throw badRequest(String((err as Error).message));
    }
    if (typeof volumeId !== 'string') throw badRequest("'volume_id'");
    if (!attached(volumeId)) throw noBdm(volumeId);
    return c.body(null, 204);
  });
}
