/**
 * A seeded generator of hostile requests for every route of the three listeners: malformed and
 * deeply nested JSON, wrong types, huge bodies, unicode and NUL, encoded traversal, odd methods,
 * duplicated and oversized headers, bad microversions, bad limit/marker/sort, and the names of
 * Object.prototype's members wherever a name goes. The same seed gives the same requests.
 */

/** mulberry32: a small, fast, seeded PRNG (uniform in [0, 1)). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Listener = 'admin' | 'compute' | 'volume';

/** A route as the listener's Hono app registered it. */
export interface RouteTemplate {
  listener: Listener;
  method: string;
  path: string;
}

/** Ids of real resources, so that requests also reach the pods through the routing table. */
export interface Known {
  project: string;
  otherProject: string;
  servers: string[];
  volumes: string[];
  snapshots: string[];
  backups: string[];
  attachments: string[];
  aggregates: string[];
  pods: string[];
  keypairs: string[];
  images: string[];
  types: string[];
}

export interface HostileRequest {
  listener: Listener;
  method: string;
  /** Path and query, already encoded as they go on the wire. */
  url: string;
  headers: [string, string][];
  body?: string;
  /** What the request was made of, for the failure report. */
  kinds: string[];
}

export const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty', 'prototype', 'isPrototypeOf'];

/** Path segments nobody should trust (already encoded for the wire). */
const HOSTILE_SEGMENTS = [
  '', 'x', '0', '-1', '99999999999999999999', '1e309', 'null', 'None', 'true', '%20', '%',
  '%2e%2e%2f%2e%2e%2fos-services', '..%2F..%2F', '..%5c..%5c', '%252f', '%25252e%25252e', '%00', '%0a', '%ff', '%E2%82',
  '%F0%9F%92%A5', encodeURIComponent('名前'), encodeURIComponent("' OR 1=1 --"), encodeURIComponent('<script>'), 'a'.repeat(300),
  'x'.repeat(5000), ...PROTOTYPE_NAMES,
];

const QUERY_VALUES = [
  '', '-1', '0', '1', '2', 'abc', '1.5', '1e3', '99999999999999999999', 'true', 'false', 'None', 'asc', 'desc', 'ASC',
  'created_at', 'display_name', 'name:asc', 'created_at:sideways', ',,,', '%00', '%FF', encodeURIComponent('名前'),
  encodeURIComponent("';DROP TABLE routings;--"), 'x'.repeat(2000), ...PROTOTYPE_NAMES, ...PROTOTYPE_NAMES.map((n) => `${n}:asc`),
];
const QUERY_NAMES = [
  'limit', 'marker', 'sort_key', 'sort_dir', 'sort', 'all_tenants', 'is_public', 'minRam', 'minDisk', 'changes-since',
  'name', 'status', 'usage', 'offset', 'project_id', 'resource_type', 'pod_id', 'top_id', 'tenant_id', 'is_binding',
  'availability_zone', 'detailed', 'with_count', 'user_id', 'type', ...PROTOTYPE_NAMES,
];

const MICROVERSIONS = [
  'compute 2.1', 'compute 2.53', 'compute 2.79', 'compute latest', 'compute 2.latest', 'compute 3.0', 'compute 2.999', 'compute 2',
  'compute', 'compute 2.1.1', 'compute -2.1', 'volume 3.0', 'volume 3.12', 'volume 3.60', 'volume latest', 'volume 3.latest',
  'volume 3.999', 'volume 2.0', 'volume', 'volume 03.01', 'volume 3.1, compute 2.1', 'compute 2.1, compute 2.2', '',
  'x'.repeat(8000), '名前 2.1', 'compute\u00002.1',
];

/** Microversions each listener serves, so that most requests get past negotiation. */
const COMPUTE_VERSIONS = ['compute 2.1', 'compute 2.26', 'compute 2.53', 'compute 2.69', 'compute 2.79', 'compute latest'];
const VOLUME_VERSIONS = ['volume 3.0', 'volume 3.12', 'volume 3.27', 'volume 3.47', 'volume 3.60', 'volume latest'];

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/xml', 'multipart/form-data; boundary=x', '', 'application/json\u0000'];

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND', 'FOO'];

/** Text that is not JSON, or JSON of the wrong shape. */
const MALFORMED = ['{', '[', '{"server": }', '{"a":1,}', 'null', '1', '"x"', '[]', '{}', 'true', '{"server": null}', '\u0000', '\ufeff{}', '{"a": "\ud800"}', '{"a": NaN}', '{"a": 1e999}', '{"__proto__": {"admin": true}}', '{"constructor": {"prototype": {}}}'];

export interface GeneratorOptions {
  /** Bodies over this size go over the limit (413). */
  maxBodyBytes: number;
}

export class HostileGenerator {
  readonly #rand: () => number;
  readonly #routes: RouteTemplate[];
  readonly #known: Known;
  readonly #o: GeneratorOptions;

  constructor(seed: number, routes: RouteTemplate[], known: Known, o: GeneratorOptions) {
    this.#rand = prng(seed);
    this.#routes = routes;
    this.#known = known;
    this.#o = o;
  }

  #pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.#rand() * xs.length)]!;
  }

  #chance(p: number): boolean {
    return this.#rand() < p;
  }

  /** A value for a path parameter: mostly a real id of the right kind, else something hostile. */
  #param(name: string, path: string, method: string, kinds: string[]): string {
    const k = this.#known;
    if (name === 'project_id' || name === 'tenant_id' || name === 'target') {
      if (this.#chance(0.85)) return k.project;
      kinds.push('other-project');
      return this.#chance(0.5) ? k.otherProject : this.#pick(HOSTILE_SEGMENTS);
    }
    // Real pods are only read: a hostile admin must not re-point or remove the pods under test.
    const mutatingPod = path.includes('/pods') && method !== 'GET';
    const real: Record<string, string[]> = {
      servers: k.servers, volumes: k.volumes, snapshots: k.snapshots, backups: k.backups, attachments: k.attachments,
      'os-aggregates': k.aggregates, pods: mutatingPod ? [] : k.pods, 'os-keypairs': k.keypairs, images: k.images, types: k.types,
      flavors: ['1', '2', '42'],
    };
    const collection = Object.keys(real).find((c) => path.includes(`/${c}/:`));
    const ids = collection ? real[collection]! : [];
    // Deleting the few real resources early would leave the rest of the run nothing to reach.
    if (ids.length > 0 && this.#chance(method === 'DELETE' ? 0.02 : 0.7)) return this.#pick(ids);
    kinds.push('hostile-id');
    return this.#pick(HOSTILE_SEGMENTS);
  }

  /** The rest of a path under a routed id (`/servers/:id/*`). */
  #tail(kinds: string[]): string {
    const tails = [
      'action', 'metadata', 'metadata/k1', 'os-volume_attachments', 'os-volume_attachments/x', 'tags', 'tags/t1', 'ips',
      'os-instance-actions', 'os-interface', 'os-server-password', 'diagnostics', 'extra_specs', 'restore', 'encryption',
    ];
    if (this.#chance(0.8)) return this.#pick(tails);
    kinds.push('hostile-tail');
    return `${this.#pick(HOSTILE_SEGMENTS)}/${this.#pick(HOSTILE_SEGMENTS)}`;
  }

  #query(kinds: string[]): string {
    if (this.#chance(0.4)) return '';
    kinds.push('query');
    const n = 1 + Math.floor(this.#rand() * 4);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(`${this.#pick(QUERY_NAMES)}=${this.#pick(QUERY_VALUES)}`);
    if (this.#chance(0.1)) parts.push(parts[0]!); // the same parameter twice
    return `?${parts.join('&')}`;
  }

  /** `{"a": {"a": ...}}` `depth` deep, as text. */
  #nested(depth: number): string {
    return this.#chance(0.5) ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}1${']'.repeat(depth)}`;
  }

  /** A value of a type nobody asked for. */
  #wrongType(): unknown {
    return this.#pick<unknown>([null, true, -1, 1.5, 1e308, '', 'x'.repeat(300), [], [1, 2], {}, { a: 1 }, '\u0000', '😀', ...PROTOTYPE_NAMES]);
  }

  /** A plausible body for the route, with one field broken. */
  #plausible(path: string): unknown {
    const k = this.#known;
    const server = { name: 'fz', flavorRef: '1', imageRef: this.#pick(k.images), availability_zone: this.#pick(['az1', 'az2', '', 'nope']) };
    const bodies: [RegExp, unknown][] = [
      [/\/servers$/, { server }],
      [/\/servers\/:id/, this.#pick([{ 'os-stop': null }, { 'os-start': null }, { reboot: { type: 'SOFT' } }, { 'os-getConsoleOutput': { length: 5 } }, { volumeAttachment: { volumeId: this.#pick(k.volumes) } }, { metadata: { a: 'b' } }, { server: { name: 'renamed' } }, { tags: ['a'] }])],
      [/\/volumes$/, { volume: { size: 1, name: 'fz', availability_zone: this.#pick(['az1', 'az2', '']) } }],
      [/\/volumes\/:id/, this.#pick([{ 'os-extend': { new_size: 2 } }, { 'os-set_bootable': { bootable: true } }, { volume: { name: 'n' } }, { metadata: { a: 'b' } }, { 'os-attach': { instance_uuid: this.#pick(k.servers), mountpoint: '/dev/vdb' } }])],
      [/\/snapshots/, { snapshot: { volume_id: this.#pick(k.volumes), name: 's' } }],
      [/\/backups/, { backup: { volume_id: this.#pick(k.volumes), name: 'b' } }],
      [/\/attachments/, { attachment: { volume_uuid: this.#pick(k.volumes), instance_uuid: this.#pick(k.servers) } }],
      [/\/flavors\/:flavor_id\/os-extra_specs/, { extra_specs: { 'hw:cpu_policy': 'dedicated' } }],
      [/\/flavors\/:flavor_id\/action/, { addTenantAccess: { tenant: k.project } }],
      [/\/flavors/, { flavor: { name: `fz-${Math.floor(this.#rand() * 1e6)}`, ram: 64, vcpus: 1, disk: 1 } }],
      [/\/os-keypairs/, { keypair: { name: `fz${Math.floor(this.#rand() * 1e6)}` } }],
      [/\/os-aggregates/, { aggregate: { name: `ag-${Math.floor(this.#rand() * 1e6)}` } }],
      [/\/os-quota-sets/, { quota_set: { instances: 20 } }],
      [/\/os-server-external-events/, { events: [{ name: 'network-changed', server_uuid: this.#pick(k.servers) }] }],
      [/\/types/, { volume_type: { name: `t-${Math.floor(this.#rand() * 1e6)}` } }],
      [/\/pods/, { pod: { az_name: 'az9' } }], // no pod_name: never registers a pod
      [/\/bindings/, { pod_binding: { tenant_id: k.project, pod_id: 'no-such-pod' } }],
    ];
    const hit = bodies.find(([re]) => re.test(path));
    const body = structuredClone(hit ? hit[1] : { thing: { a: 1 } }) as Record<string, unknown>;
    if (this.#chance(0.6)) {
      // Break one field: a wrong type, a prototype name as key, or a deep value.
      const top = Object.values(body)[0];
      const target = top && typeof top === 'object' && !Array.isArray(top) ? (top as Record<string, unknown>) : body;
      const keys = Object.keys(target);
      const key = this.#chance(0.3) ? this.#pick(PROTOTYPE_NAMES) : keys.length ? this.#pick(keys) : 'x';
      target[key] = this.#wrongType();
    }
    return body;
  }

  #body(method: string, path: string, kinds: string[]): string | undefined {
    if ((method === 'GET' || method === 'HEAD') && !this.#chance(0.05)) return undefined;
    const roll = this.#rand();
    if (roll < 0.35) {
      kinds.push('plausible-body');
      return JSON.stringify(this.#plausible(path));
    }
    if (roll < 0.55) {
      kinds.push('malformed-json');
      return this.#pick(MALFORMED);
    }
    if (roll < 0.68) {
      kinds.push('deep-json');
      const depth = this.#pick([31, 32, 33, 100, 1000, 5000, 20000]);
      return `{"x": ${this.#nested(depth)}}`;
    }
    if (roll < 0.8) {
      kinds.push('wrong-types');
      return JSON.stringify({ [path.split('/').filter((s) => s && !s.startsWith(':')).at(-1) ?? 'x']: this.#wrongType() });
    }
    if (roll < 0.9) {
      kinds.push('unicode-nul');
      return this.#pick(['{"server": {"name": "\\u0000\\u0000"}}', '{"a": "\u0000"}', '{"名前": "値"}', '{"a": "\\ud83d"}', '\u0000\u0000\u0000', '{"a": "😀".repeat}', `{"name": "${'😀'.repeat(1000)}"}`]);
    }
    if (roll < 0.93) {
      kinds.push('huge-body');
      const size = this.#chance(0.5) ? this.#o.maxBodyBytes + 1 : Math.floor(this.#o.maxBodyBytes * 0.9);
      return `{"x": "${'a'.repeat(size)}"}`;
    }
    kinds.push('empty-body');
    return this.#chance(0.5) ? '' : ' ';
  }

  #headers(listener: Listener, kinds: string[]): [string, string][] {
    const k = this.#known;
    const h: [string, string][] = [];
    const roll = this.#rand();
    if (roll < 0.05) kinds.push('no-identity');
    else {
      const admin = roll < 0.25;
      if (admin) kinds.push('admin');
      h.push(['x-auth-token', `tok-${admin ? 'admin' : 'member'}`], ['x-project-id', k.project], ['x-user-id', admin ? 'fz-admin' : 'fz-member'], ['x-roles', admin ? 'admin,member' : 'member']);
    }
    if (this.#chance(0.5)) {
      const name = listener === 'compute' && this.#chance(0.3) ? 'x-openstack-nova-api-version' : 'openstack-api-version';
      if (this.#chance(0.6)) h.push([name, this.#pick(listener === 'volume' ? VOLUME_VERSIONS : COMPUTE_VERSIONS)]);
      else {
        kinds.push('bad-microversion');
        h.push([name, this.#pick(MICROVERSIONS)]);
      }
    }
    if (this.#chance(0.6)) h.push(['content-type', this.#pick(CONTENT_TYPES)]);
    if (this.#chance(0.05)) {
      kinds.push('oversized-header');
      h.push(['x-padding', 'p'.repeat(8 * 1024)]);
    }
    if (this.#chance(0.05)) {
      kinds.push('duplicated-header');
      const dup = this.#pick(['x-roles', 'x-project-id', 'openstack-api-version', 'content-type', 'x-auth-token']);
      h.push([dup, this.#pick(['admin', k.otherProject, 'compute 2.1', 'application/json', 'tok-other'])]);
    }
    if (this.#chance(0.05)) h.push(['x-openstack-request-id', this.#pick(['req-not-a-uuid', '\u00ff', 'x'.repeat(500)])]);
    return h;
  }

  next(): HostileRequest {
    const route = this.#pick(this.#routes);
    const kinds: string[] = [];
    let method = route.method === 'ALL' ? this.#pick(METHODS) : route.method;
    if (this.#chance(0.05)) {
      kinds.push('odd-method');
      method = this.#pick(METHODS);
    }
    let path = route.path.replace(/:([a-zA-Z_]+)/g, (_m, name: string) => this.#param(name, route.path, method, kinds));
    if (path.endsWith('*')) path = path.slice(0, -1) + this.#tail(kinds);
    const url = path + this.#query(kinds);
    const body = method === 'HEAD' ? undefined : this.#body(method, route.path, kinds);
    return { listener: route.listener, method, url, headers: this.#headers(route.listener, kinds), body, kinds };
  }
}
