// The shared query parser and next-link builder: one piece of code, each API's own words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { boolFromString, firstValues, isFullPage, nextLink, parseInteger, type NextLinkOptions } from '../../src/http';
import { ADMIN_QUERY, adminInt, CINDER_QUERY, FANOUT_LIMIT, NOVA_QUERY, pageParams, queryBool, sortDirection } from '../../src/api/common';

const q = (s: string) => new URLSearchParams(s);
const bad = (message: string) => ({ name: 'ApiError', status: 400, message });

test('limit in Nova words: digits only, capped at max_limit, absent means max_limit', () => {
  assert.deepEqual(pageParams(q('limit=5&marker=m'), NOVA_QUERY.limit, 1000), { limit: 5, limitGiven: true, marker: 'm' });
  assert.deepEqual(pageParams(q('limit=5000'), NOVA_QUERY.limit, 1000), { limit: 1000, limitGiven: true, marker: undefined });
  assert.deepEqual(pageParams(q(''), NOVA_QUERY.limit, 1000), { limit: 1000, limitGiven: false, marker: undefined });
  for (const raw of ['x', '-1', ' 5', '']) {
    assert.throws(() => pageParams(q(`limit=${encodeURIComponent(raw)}`), NOVA_QUERY.limit, 1000), bad(`Invalid input for query parameters limit. Value: ${raw}. '${raw}' does not match '^[0-9]*$'`));
  }
});

test('limit of the merged lists: Nova words, surrounding space ignored', () => {
  assert.equal(pageParams(q('limit=%205%20'), FANOUT_LIMIT, 1000).limit, 5);
  assert.throws(() => pageParams(q('limit=-1'), FANOUT_LIMIT, 1000), bad("Invalid input for query parameters limit. Value: -1. '-1' does not match '^[0-9]*$'"));
});

test('limit in Cinder words: an integer, then not negative', () => {
  assert.equal(pageParams(q('limit=0'), CINDER_QUERY.limit, 1000).limit, 0);
  assert.throws(() => pageParams(q('limit=x'), CINDER_QUERY.limit, 1000), bad('limit param must be an integer'));
  assert.throws(() => pageParams(q('limit=-1'), CINDER_QUERY.limit, 1000), bad('limit param must be positive'));
});

test('admin integers: limit may be 0, markers and ids must be positive', () => {
  assert.equal(pageParams(q('limit=0'), ADMIN_QUERY.limit, 1000).limit, 0);
  assert.throws(() => pageParams(q('limit=-1'), ADMIN_QUERY.limit, 1000), bad('Invalid limit: -1 must be a non-negative integer'));
  assert.equal(parseInteger('7', adminInt('marker')), 7);
  assert.throws(() => parseInteger('0', adminInt('marker')), bad('Invalid marker: 0 must be a positive integer'));
  assert.throws(() => parseInteger('x', adminInt('routing id')), bad('Invalid routing id: x must be a positive integer'));
});

test('sort directions: asc or desc exactly, else each service its words', () => {
  assert.equal(sortDirection('asc', NOVA_QUERY), 'asc');
  assert.equal(sortDirection('desc', CINDER_QUERY), 'desc');
  assert.throws(() => sortDirection('up', NOVA_QUERY), bad("Invalid input for query parameters sort_dir. Value: up. 'up' is not one of ['asc', 'desc']"));
  assert.throws(() => sortDirection(' asc', NOVA_QUERY), bad("Invalid input for query parameters sort_dir. Value:  asc. ' asc' is not one of ['asc', 'desc']"));
  assert.throws(() => sortDirection('up', CINDER_QUERY), bad("Unknown sort direction, must be 'desc' or 'asc'."));
});

test("booleans are oslo's words in any case; a bad one is a 400 in each service's words", () => {
  for (const t of ['1', 't', 'True', ' yes ', 'ON', 'y']) assert.equal(boolFromString(t), true, t);
  for (const f of ['0', 'f', 'FALSE', 'no', 'off', 'N']) assert.equal(boolFromString(f), false, f);
  assert.equal(boolFromString('maybe'), undefined);
  assert.equal(queryBool('yes', 'is_public', NOVA_QUERY), true);
  assert.throws(() => queryBool('maybe', 'is_public', NOVA_QUERY), bad('Invalid is_public filter [maybe]'));
  assert.throws(() => queryBool('maybe', 'is_public', CINDER_QUERY), bad("Invalid value 'maybe' for is_public. Accepted values: True or False."));
  assert.throws(() => queryBool('maybe', 'is_binding', ADMIN_QUERY), bad('Invalid value for is_binding: maybe is not a boolean'));
});

/** The next link a request to `url` gets, built with `o`. */
async function linkFor(url: string, marker: string, o: (req: URLSearchParams) => NextLinkOptions = () => ({})): Promise<string> {
  const app = new Hono();
  app.get('*', (c) => c.json(nextLink(c, marker, o(new URL(c.req.url).searchParams))));
  const body = (await (await app.request(url)).json()) as { rel: string; href: string };
  assert.equal(body.rel, 'next');
  return body.href;
}

test('next link: the request path and query, marker replaced in place, at the public URL when configured', async () => {
  assert.equal(await linkFor('http://gw:8776/v3/p/attachments?sort=a&marker=old&limit=2', 'new'), 'http://gw:8776/v3/p/attachments?sort=a&marker=new&limit=2');
  assert.equal(await linkFor('http://gw/v3/p/attachments?limit=2', 'm', () => ({ publicUrl: 'https://cloud.example/' })), 'https://cloud.example/v3/p/attachments?limit=2&marker=m');
});

test("next link: sorted by name as webob sorts Nova's, repeated parameters kept", async () => {
  const href = await linkFor('http://gw/v2.1/servers/detail?sort_key=name&limit=2&sort_key=created_at&marker=x', 'y', () => ({ sorted: true }));
  assert.equal(href, 'http://gw/v2.1/servers/detail?limit=2&marker=y&sort_key=name&sort_key=created_at');
});

test('next link: an own path and query (first values, marker last) as the compute and admin APIs give them', async () => {
  const compute = await linkFor('http://gw/v2.1/flavors/detail/?sort_key=memory_mb&limit=3&limit=9', '1', (req) => ({ path: '/v2.1/proj-a/flavors/detail', query: firstValues(req), sorted: true }));
  assert.equal(compute, 'http://gw/v2.1/proj-a/flavors/detail?limit=3&marker=1&sort_key=memory_mb');
  const admin = await linkFor('http://gw/v1.0/routings?marker=3&limit=2&pod_id=p', '5', (req) => {
    const query = firstValues(req);
    query.delete('marker');
    return { path: '/v1.0/routings', query };
  });
  assert.equal(admin, 'http://gw/v1.0/routings?limit=2&pod_id=p&marker=5');
});

test('a page is full when it holds limit items and limit is not 0', () => {
  assert.equal(isFullPage(2, 2), true);
  assert.equal(isFullPage(2, 1), false);
  assert.equal(isFullPage(0, 0), false);
});
