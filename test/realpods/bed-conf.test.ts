// The real-pods bed's static choices that must agree with the gateway and stay loopback-only.
// (Fast: part of npm test; nothing is started.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLAVORS } from './bed/bed';
import { cinderConf, glanceConf, mariadbCnf, novaConf, rabbitmqConf, type BedLayout } from './bed/conf';
import { podLayout } from './bed/pod';
import { REALPODS_PACKAGES } from './bed/packages';
import { rabbitPasswordHash } from './bed/shared';
import { SEED_FLAVORS } from '../../src/store/migration-002';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const bed: BedLayout = {
  dir: '/tmp/bed', keystoneUrl: 'http://127.0.0.1:5000', servicePassword: 'pw',
  ports: { mysql: 21000, amqp: 21001, epmd: 21002, rabbitDist: 21003, glance: 21004, neutron: 21005 },
};

test('the pods get the gateway\'s seed flavors, same ids and sizes, so a flavor id means one flavor everywhere', () => {
  assert.deepEqual(
    FLAVORS.map((f) => [f.id, f.name, f.ram, f.vcpus, f.disk]),
    SEED_FLAVORS.map(([id, name, ram, vcpus, disk]) => [id, name, ram, vcpus, disk]),
  );
});

test('every service of the bed listens on 127.0.0.1 only', () => {
  const pod = podLayout(bed, 1, 21020);
  const nova = novaConf(bed, pod);
  assert.match(nova, /^osapi_compute_listen = 127\.0\.0\.1$/m);
  assert.match(cinderConf(bed, pod), /^osapi_volume_listen = 127\.0\.0\.1$/m);
  assert.match(glanceConf(bed), /^bind_host = 127\.0\.0\.1$/m);
  assert.match(mariadbCnf(bed), /^bind-address = 127\.0\.0\.1$/m);
  assert.match(rabbitmqConf(bed, '/tmp/defs.json'), /^listeners\.tcp\.default = 127\.0\.0\.1:21001$/m);
  for (const url of nova.match(/https?:\/\/[^\s/]+/g) ?? []) assert.match(url, /^http:\/\/127\.0\.0\.1:/, url);
});

test('RabbitMQ password hashes are base64(salt + sha256(salt + password)), as rabbit_password_hashing_sha256', () => {
  const salt = Buffer.from([1, 2, 3, 4]);
  const hash = Buffer.from(rabbitPasswordHash('secret', salt), 'base64');
  assert.deepEqual(hash.subarray(0, 4), salt);
  assert.deepEqual(hash.subarray(4), createHash('sha256').update(Buffer.concat([salt, Buffer.from('secret')])).digest());
});

test('.ci/run installs every package the bed needs (under CI the bed installs nothing)', () => {
  const run = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
  const list = /readonly APT_PACKAGES=\(([^)]*)\)/.exec(run)![1]!.split(/\s+/).filter(Boolean);
  for (const p of REALPODS_PACKAGES) assert.ok(list.includes(p), `${p} is in .ci/run's APT_PACKAGES`);
});
