// A pod's list answer read item by item: every item's exact text, the next link wherever the
// member sits, strings holding brackets and quotes, and a malformed answer refused where the
// reader gets to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MalformedPageError, PageReader } from '../../src/fanout/page-reader';

function readAll(text: string, collection = 'servers'): { items: unknown[]; count: number; hasNext: boolean } {
  const page = new PageReader(text, collection);
  const items: unknown[] = [];
  for (let t = page.next(); t !== undefined; t = page.next()) items.push(JSON.parse(t));
  assert.equal(page.next(), undefined, 'stays at the end');
  return { items, count: page.count, hasNext: page.hasNext };
}

test('every item as JSON.parse reads it, the next link after the array', () => {
  const body = {
    servers: [
      { id: 'a', name: 'with "quotes" and \\ backslash \\', links: [{ rel: 'self', href: 'http://pod/compute/v2.1/p/servers/a' }] },
      { id: 'b', name: 'brackets ]}[{ and a comma, inside', metadata: { k: ['v', 1, null, true, false, -1.5e3] } },
      { id: 'c', name: 'ünïcödé \u2028 \n tab\t', nested: { deep: [[[{}]]] } },
    ],
    servers_links: [{ rel: 'next', href: 'http://pod/compute/v2.1/p/servers/detail?marker=c' }],
  };
  for (const text of [JSON.stringify(body), JSON.stringify(body, null, 2), JSON.stringify(body).replaceAll('/', '\\/')]) {
    assert.deepEqual(readAll(text), { items: body.servers, count: 3, hasNext: true });
  }
});

test('members in any order; no links, links without next, an empty array', () => {
  const one = { id: 'x' };
  assert.deepEqual(readAll(JSON.stringify({ servers_links: [{ rel: 'next', href: 'h' }], other: { servers: 1 }, servers: [one] })), { items: [one], count: 1, hasNext: true });
  assert.deepEqual(readAll(JSON.stringify({ servers: [one] })), { items: [one], count: 1, hasNext: false });
  assert.deepEqual(readAll(JSON.stringify({ servers: [one], servers_links: [{ rel: 'prev', href: 'h' }] })), { items: [one], count: 1, hasNext: false });
  assert.deepEqual(readAll(' { "servers" : [ ] , "servers_links" : [ ] } '), { items: [], count: 0, hasNext: false });
  assert.deepEqual(readAll(JSON.stringify({ volumes: [one, 'not an object', 7] }), 'volumes'), { items: [one, 'not an object', 7], count: 3, hasNext: false });
});

test('a key spelled with escapes is the same key', () => {
  assert.deepEqual(readAll('{"serv\\u0065rs": [{"id": "a"}]}'), { items: [{ id: 'a' }], count: 1, hasNext: false });
});

test('an answer that does not open as a list answer is refused at once', () => {
  for (const text of ['', '<html>', '[]', '{}', '{"servers": {}}', '{"servers": "x"}', '{"other": [1]}', '{"servers" [1]}', '{"servers": [{"id": "a}]}', 'null']) {
    assert.throws(() => new PageReader(text, 'servers').next(), MalformedPageError, text);
  }
});

test('a break further on is refused when the reader gets there, not before', () => {
  const cases = [
    '{"servers": [{"id": "a"}, {"id": "b"',
    '{"servers": [{"id": "a"}], "servers_links": [oops]}',
    '{"servers": [{"id": "a"}], "servers": []}',
    '{"servers": [{"id": "a"}]} trailing',
    '{"servers": [{"id": "a"}],}',
  ];
  for (const text of cases) {
    const page = new PageReader(text, 'servers');
    assert.equal(page.next(), '{"id": "a"}', text);
    assert.throws(() => page.next(), MalformedPageError, text);
  }
  // An item is given only once what follows it is a `,` or the array's end.
  for (const text of ['{"servers": [{"id": "a"} {"id": "b"}]}', '{"servers": [{"id": "a"},]}']) {
    assert.throws(() => new PageReader(text, 'servers').next(), MalformedPageError, text);
  }
});
