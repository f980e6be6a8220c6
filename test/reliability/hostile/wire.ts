/**
 * The wire-level part of the hostile input: requests the Fetch API cannot express (duplicated
 * framing headers, oversized header blocks, TRACE/CONNECT, raw bytes in the request line), sent
 * over a raw loopback socket. Node's HTTP parser answers some of them itself (400, 431); the point
 * is that nothing gets a 5xx, a stack trace or a crash.
 */
import net from 'node:net';
import type { Known, Listener } from './generator';

export interface WireAnswer {
  /** 0 when the server closed without answering. */
  status: number;
  text: string;
  contentType: string;
}

function dechunk(body: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    if (eol === -1) return out;
    const size = Number.parseInt(body.slice(at, eol), 16);
    if (!Number.isFinite(size) || size === 0) return out;
    out += body.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/**
 * One exchange on a new connection (`Connection: close`: the server closes once it answered). `raw` replaces the whole request when
 * given; otherwise it is built from the parts (header values written as latin1, so bytes a Fetch
 * Headers object refuses still go out).
 */
export function rawExchange(base: string, method: string, url: string, headers: [string, string][], body?: string, raw?: string): Promise<WireAnswer> {
  const { port } = new URL(base);
  const payload =
    raw ??
    [
      `${method} ${url} HTTP/1.1`,
      'Host: 127.0.0.1',
      'Connection: close',
      ...headers.map(([k, v]) => `${k}: ${v}`),
      ...(body === undefined ? [] : [`Content-Length: ${Buffer.byteLength(body, 'utf8')}`]),
      '',
      body ?? '',
    ].join('\r\n');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    // Written without a half-close: a FIN from the client reads as a client that went away.
    const s = net.connect(Number(port), '127.0.0.1', () => s.write(Buffer.from(payload, raw === undefined && body !== undefined ? 'utf8' : 'latin1')));
    s.on('data', (c) => chunks.push(c));
    s.on('error', () => {});
    s.setTimeout(15_000, () => s.destroy());
    s.on('close', () => {
      let all = Buffer.concat(chunks).toString('utf8');
      // Interim answers (100 Continue) come before the final one.
      while (/^HTTP\/1\.[01] 1\d\d /.test(all) && all.includes('\r\n\r\n')) all = all.slice(all.indexOf('\r\n\r\n') + 4);
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(all);
      const split = all.indexOf('\r\n\r\n');
      const head = split === -1 ? all : all.slice(0, split);
      let text = split === -1 ? '' : all.slice(split + 4);
      if (/\r\ntransfer-encoding: chunked/i.test(head)) text = dechunk(text);
      const ct = /\r\ncontent-type: ([^\r\n]*)/i.exec(head)?.[1] ?? '';
      resolve({ status: m ? Number(m[1]) : 0, text, contentType: ct });
    });
  });
}

export interface WireCase {
  name: string;
  listener: Listener;
  method: string;
  url: string;
  headers: [string, string][];
  body?: string;
  /** The whole request as bytes (latin1), when the parts cannot express it. */
  raw?: string;
}

const member = (project: string): [string, string][] => [
  ['X-Auth-Token', 'tok-member'],
  ['X-Project-Id', project],
  ['X-User-Id', 'fz-member'],
  ['X-Roles', 'member'],
];

/** Requests only a raw socket can send. */
export function WIRE_CASES(k: Known, project: string): WireCase[] {
  const who = member(project);
  const server = `/v2.1/${project}/servers/${k.servers[0]}`;
  const volume = `/v3/${project}/volumes/${k.volumes[0]}`;
  const head = (lines: string[], body = '') => [...lines, '', body].join('\r\n');
  const idLines = who.map(([a, b]) => `${a}: ${b}`);
  const cases: WireCase[] = [
    { name: 'duplicated content-length', listener: 'compute', method: 'POST', url: `${server}/action`, headers: [], raw: head([`POST ${server}/action HTTP/1.1`, 'Host: x', 'Connection: close', ...idLines, 'Content-Length: 2', 'Content-Length: 20'], '{}') },
    { name: 'content-length and chunked', listener: 'compute', method: 'POST', url: `${server}/action`, headers: [], raw: head([`POST ${server}/action HTTP/1.1`, 'Host: x', 'Connection: close', ...idLines, 'Content-Length: 2', 'Transfer-Encoding: chunked'], '0\r\n\r\n') },
    { name: 'bad chunk size', listener: 'volume', method: 'POST', url: `/v3/${project}/volumes`, headers: [], raw: head([`POST /v3/${project}/volumes HTTP/1.1`, 'Host: x', 'Connection: close', ...idLines, 'Content-Type: application/json', 'Transfer-Encoding: chunked'], 'zz\r\n{}\r\n0\r\n\r\n') },
    { name: 'chunked body over the limit', listener: 'volume', method: 'POST', url: `/v3/${project}/volumes`, headers: [], raw: head([`POST /v3/${project}/volumes HTTP/1.1`, 'Host: x', 'Connection: close', ...idLines, 'Content-Type: application/json', 'Transfer-Encoding: chunked'], `${(200_000).toString(16)}\r\n${'a'.repeat(200_000)}\r\n0\r\n\r\n`) },
    { name: 'content-length over the limit', listener: 'compute', method: 'POST', url: `/v2.1/${project}/servers`, headers: [...who, ['Content-Type', 'application/json']], body: `{"x":"${'a'.repeat(200_000)}"}` },
    { name: 'transfer-encoding chunked, identity', listener: 'compute', method: 'POST', url: `${server}/action`, headers: [], raw: head([`POST ${server}/action HTTP/1.1`, 'Host: x', 'Connection: close', ...idLines, 'Transfer-Encoding: chunked, identity'], '0\r\n\r\n') },
    { name: 'oversized header block', listener: 'compute', method: 'GET', url: server, headers: [...who, ['X-Padding', 'p'.repeat(20_000)]] },
    { name: 'many headers', listener: 'compute', method: 'GET', url: server, headers: [...who, ...Array.from({ length: 500 }, (_, i) => [`X-H${i}`, 'v'] as [string, string])] },
    { name: 'TRACE', listener: 'compute', method: 'TRACE', url: server, headers: who },
    { name: 'CONNECT', listener: 'compute', method: 'CONNECT', url: '127.0.0.1:1', headers: who },
    { name: 'TRACK', listener: 'admin', method: 'TRACK', url: '/v1.0/pods', headers: who },
    { name: 'method with a space', listener: 'compute', method: 'GE T', url: server, headers: who },
    { name: 'HTTP/1.0 without Host', listener: 'compute', method: 'GET', url: server, headers: [], raw: head([`GET ${server} HTTP/1.0`, ...idLines]) },
    { name: 'absolute-form target', listener: 'compute', method: 'GET', url: `http://evil.example${server}`, headers: who },
    { name: 'raw space in the path', listener: 'compute', method: 'GET', url: `${server}/meta data`, headers: who },
    { name: 'raw UTF-8 in the path', listener: 'volume', method: 'GET', url: `${volume}/名前`, headers: who },
    { name: 'raw backslash traversal', listener: 'compute', method: 'GET', url: `${server}\\..\\..\\os-services`, headers: who },
    { name: 'NUL in a header value', listener: 'compute', method: 'GET', url: server, headers: [...who, ['OpenStack-API-Version', 'compute\u00002.1']] },
    { name: 'UTF-8 microversion', listener: 'volume', method: 'GET', url: volume, headers: [...who, ['OpenStack-API-Version', 'volume 名前']] },
    { name: 'obsolete line folding', listener: 'compute', method: 'GET', url: server, headers: [], raw: head([`GET ${server} HTTP/1.1`, 'Host: x', 'Connection: close', ...idLines, 'X-Roles: member,', ' admin']) },
    { name: 'conflicting duplicated microversions', listener: 'compute', method: 'GET', url: server, headers: [...who, ['OpenStack-API-Version', 'compute 2.1'], ['OpenStack-API-Version', 'compute 2.79']] },
    { name: 'duplicated identity headers', listener: 'admin', method: 'GET', url: '/v1.0/pods', headers: [...who, ['X-Roles', 'admin'], ['X-Project-Id', 'admin-project']] },
    { name: 'expect 100-continue', listener: 'volume', method: 'POST', url: `${volume}/action`, headers: [...who, ['Expect', '100-continue'], ['Content-Type', 'application/json']], body: '{"os-extend": {"new_size": "x"}}' },
    { name: 'header name with a colon inside', listener: 'compute', method: 'GET', url: server, headers: [], raw: head([`GET ${server} HTTP/1.1`, 'Host: x', 'Connection: close', ...idLines, 'X-Bad:Header: y']) },
    { name: 'request line only', listener: 'compute', method: 'GET', url: server, headers: [], raw: `GET ${server} HTTP/1.1\r\n\r\n` },
    { name: 'garbage', listener: 'admin', method: 'GET', url: '/', headers: [], raw: '\u0000\u0001\u0002 not http at all\r\n\r\n' },
    { name: 'very long request line', listener: 'volume', method: 'GET', url: `/v3/${project}/volumes?limit=${'9'.repeat(70_000)}`, headers: who },
    { name: 'encoded traversal on the wire', listener: 'compute', method: 'DELETE', url: `${server}/..%2f..%2f..%2fos-services`, headers: who },
    { name: 'double-encoded traversal on the wire', listener: 'volume', method: 'POST', url: `${volume}/..%252f..%252faction`, headers: [...who, ['Content-Type', 'application/json']], body: '{}' },
    { name: 'header value with CR', listener: 'compute', method: 'GET', url: server, headers: [], raw: head([`GET ${server} HTTP/1.1`, 'Host: x', 'Connection: close', ...idLines, 'X-A: a\rb']) },
  ];
  return cases;
}
