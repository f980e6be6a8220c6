// Every metric the Grafana dashboard (ops/grafana/trio2o.json) and the alert rules
// (ops/prometheus/trio2o-alerts.yml) name is exported by a running gateway, with the labels
// their matchers use, and every metric family the gateway exports is on the dashboard. The
// gateway runs as an operator runs it (`serve --config`, keystone mode, its database a replica
// of a real sqld primary) in front of two simulated pods; one pod is then stopped so the error,
// breaker and partial-list series exist too.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CIRROS_IMAGE_ID } from '@trio2o/podsim';
import { startCloud, type Cloud } from '../../scripts/tempest/cloud';
import { startGatewayProcess, type GatewayProcess } from '../../scripts/tempest/gateway';
import { startPrimary, type Primary } from '../multisite/primary';
import { call } from '../support/http';
import { exportedSeries, missingRefs, refs } from './promql';

const DASHBOARD = new URL('../../ops/grafana/trio2o.json', import.meta.url);
const RULES = new URL('../../ops/prometheus/trio2o-alerts.yml', import.meta.url);
/** How long to wait for the pod-down effects (failed calls, open breaker) to show. */
const SETTLE_MS = 30_000;

interface Panel { title?: string; type: string; id: number; datasource?: { uid?: string }; targets?: { expr: string; datasource?: { uid?: string } }[]; panels?: Panel[] }
interface Dashboard { schemaVersion: number; uid: string; panels: Panel[]; templating: { list: { name: string; type: string; query: string | { query: string } }[] } }

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
const rules = parseYaml(readFileSync(RULES, 'utf8')) as { groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[] };

const allPanels = (ps: Panel[]): Panel[] => ps.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
/** Every PromQL expression, named after where it is. */
function expressions(): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  for (const p of allPanels(dashboard.panels)) for (const t of p.targets ?? []) out.push({ where: `panel "${p.title}"`, expr: t.expr });
  for (const v of dashboard.templating.list) if (v.type === 'query') out.push({ where: `variable $${v.name}`, expr: typeof v.query === 'string' ? v.query : v.query.query });
  for (const g of rules.groups) for (const r of g.rules) out.push({ where: `rule ${r.alert ?? r.record}`, expr: r.expr });
  return out;
}

test('the dashboard is a Grafana dashboard with a templated Prometheus data source', () => {
  assert.ok(dashboard.schemaVersion >= 39, `schemaVersion ${dashboard.schemaVersion}`);
  assert.equal(dashboard.uid, 'trio2o-gateway');
  const ds = dashboard.templating.list.find((v) => v.type === 'datasource');
  assert.equal(ds?.name, 'datasource');
  assert.equal(ds?.query, 'prometheus');
  const panels = allPanels(dashboard.panels);
  assert.equal(new Set(panels.map((p) => p.id)).size, panels.length, 'panel ids are unique');
  for (const p of panels.filter((x) => x.type !== 'row')) {
    assert.equal(p.datasource?.uid, '${datasource}', `panel "${p.title}" uses the templated data source`);
    assert.ok((p.targets ?? []).length > 0, `panel "${p.title}" has a query`);
    for (const t of p.targets!) assert.equal(t.datasource?.uid, '${datasource}', `a query of panel "${p.title}" uses the templated data source`);
  }
});

describe('a gateway with two pods, one of them stopped', () => {
  let dir: string;
  let primary: Primary | undefined;
  let cloud: Cloud | undefined;
  let gw: GatewayProcess | undefined;
  let text = '';

  const metrics = async () => (await call(`${gw!.urls.admin}/metrics`)).text;
  const sampleOf = (t: string, series: string) => t.split('\n').find((l) => l.startsWith(series + ' '));

  async function until(what: string, check: () => Promise<boolean>): Promise<void> {
    const end = Date.now() + SETTLE_MS;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trio2o-dashboard-'));
    primary = await startPrimary({ dir });
    cloud = await startCloud({ pods: 2 });
    gw = await startGatewayProcess({ dir, cloud, syncUrl: primary.url });
    const ks = cloud.keystone;
    const project = await ks.createProject('dash');
    await ks.createUser('dash', 'dash-secret', project, ['member']);
    const { token } = await ks.issueToken('dash', 'dash-secret', 'dash');
    const as = { 'x-auth-token': token, 'openstack-api-version': 'compute 2.69' };
    // A server in each pod (a create may answer 409 while the pod's flavor sync is pending).
    const servers: string[] = [];
    for (const az of ['az1', 'az2']) {
      const body = { server: { name: `dash-${az}`, flavorRef: '1', imageRef: CIRROS_IMAGE_ID, availability_zone: az, networks: 'none' } };
      let id = '';
      await until(`a server in ${az}`, async () => {
        const r = await call(`${gw!.urls.compute}/v2.1/servers`, { method: 'POST', headers: as, body });
        if (r.status !== 202 && r.status !== 409) throw new Error(`create in ${az}: ${r.status} ${r.text}`);
        id = r.body?.server?.id ?? '';
        return r.status === 202;
      });
      servers.push(id);
    }
    // Traffic on both APIs; repeated calls are served from the token and route caches.
    for (let i = 0; i < 2; i++) {
      for (const id of servers) assert.equal((await call(`${gw.urls.compute}/v2.1/servers/${id}`, { headers: as })).status, 200);
      assert.equal((await call(`${gw.urls.compute}/v2.1/servers/detail`, { headers: as })).status, 200);
      assert.equal((await call(`${gw.urls.volume}/v3/${project}/volumes/detail`, { headers: { 'x-auth-token': token } })).status, 200);
    }
    // Pod2 goes away: its calls fail, the lists are partial, and its breaker opens.
    const pod2 = cloud.pods[1]!;
    await pod2.close();
    const podId = ((await call(`${gw.urls.admin}/v1.0/pods`, { headers: { 'x-auth-token': await ks.adminToken() } })).body.pods as { pod_id: string; pod_name: string }[])
      .find((p) => p.pod_name === pod2.name)!.pod_id;
    await until('the breaker of Pod2 to open', async () => {
      assert.equal((await call(`${gw!.urls.compute}/v2.1/servers/${servers[1]}`, { headers: as })).status, 503);
      assert.equal((await call(`${gw!.urls.compute}/v2.1/servers/detail`, { headers: as })).status, 200);
      return sampleOf(await metrics(), `trio2o_pod_breaker_state{pod_id="${podId}",state="open"}`)?.endsWith(' 1') ?? false;
    });
    // The catalog syncs of the pods' registration are job attempts of this process.
    await until('a job attempt', async () => (await metrics()).includes('\ntrio2o_job_attempts_total{'));
    text = await metrics();
  });

  after(async () => {
    await gw?.stop();
    await cloud?.stop();
    await primary?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every metric and label the dashboard and the alert rules name is exported by the gateway', () => {
    const series = exportedSeries(text);
    const problems = expressions().flatMap(({ where, expr }) => missingRefs(expr, series).map((p) => `${where}: ${p}`));
    assert.deepEqual(problems, []);
    // Not vacuous: the rules and the dashboard name a good share of what is exported.
    assert.ok(expressions().length > 40);
  });

  test('every metric family the gateway exports is on the dashboard', () => {
    const families = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => ({ name: m[1]!, type: m[2]! }));
    assert.ok(families.length >= 25, `${families.length} families`);
    const named = new Set(allPanels(dashboard.panels).flatMap((p) => (p.targets ?? []).flatMap((t) => refs(t.expr).metrics)));
    const onDashboard = (f: { name: string; type: string }) =>
      f.type === 'histogram' ? ['_bucket', '_sum', '_count'].some((s) => named.has(f.name + s)) : named.has(f.name);
    assert.deepEqual(families.filter((f) => !onDashboard(f)).map((f) => f.name), []);
  });
});
