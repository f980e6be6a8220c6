// One table maps pod failures to gateway statuses (never 500), and undici/system errors are
// classified by `code` (not instanceof), keeping the original as `cause`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodError, httpStatusFor, isPodError, toPodError, type PodErrorCode } from '../../src/pods';

const POD = { podId: 'id-1', podName: 'RegionOne' };
const coded = (code: string) => Object.assign(new Error(`boom ${code} http://10.0.0.5:8774 token=abc`), { code });

test('httpStatusFor: 503 / 504 / 502', () => {
  const table: [PodErrorCode, number][] = [
    ['TRIO2O_POD_UNREACHABLE', 503],
    ['TRIO2O_POD_CIRCUIT_OPEN', 503],
    ['TRIO2O_POD_NO_ENDPOINT', 503],
    ['TRIO2O_POD_TIMEOUT', 504],
    ['TRIO2O_POD_BAD_RESPONSE', 502],
  ];
  for (const [code, status] of table) {
    assert.equal(httpStatusFor(code), status, code);
    assert.equal(httpStatusFor(new PodError(code, 'm', POD)), status, code);
  }
});

test('toPodError classifies by code, per phase, with user-safe messages and the cause kept', () => {
  const cases: [string, PodErrorCode, string | undefined, string][] = [
    ['ECONNREFUSED', 'TRIO2O_POD_UNREACHABLE', 'connect', 'Cannot reach pod RegionOne (connection refused)'],
    ['ENOTFOUND', 'TRIO2O_POD_UNREACHABLE', 'connect', 'Cannot reach pod RegionOne (host name not found)'],
    ['UND_ERR_SOCKET', 'TRIO2O_POD_UNREACHABLE', 'connect', 'Cannot reach pod RegionOne (connection closed by the pod)'],
    ['UND_ERR_CONNECT_TIMEOUT', 'TRIO2O_POD_TIMEOUT', 'connect', 'Timed out connecting to pod RegionOne'],
    ['UND_ERR_HEADERS_TIMEOUT', 'TRIO2O_POD_TIMEOUT', 'headers', 'Timed out waiting for pod RegionOne to answer'],
    ['UND_ERR_BODY_TIMEOUT', 'TRIO2O_POD_TIMEOUT', 'body', 'Timed out reading the reply of pod RegionOne'],
    ['HPE_INVALID_CONSTANT', 'TRIO2O_POD_BAD_RESPONSE', 'connect', 'Malformed reply from pod RegionOne'],
    ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'TRIO2O_POD_BAD_RESPONSE', 'connect', 'Malformed reply from pod RegionOne'],
    ['SOMETHING_NEW', 'TRIO2O_POD_UNREACHABLE', 'connect', 'Cannot reach pod RegionOne (connection failed)'],
  ];
  for (const [code, expected, phase, message] of cases) {
    const cause = coded(code);
    const e = toPodError(cause, POD, 'connect', { service: 'compute', attempts: 2 });
    assert.equal(e.code, expected, code);
    assert.equal(e.phase, phase, code);
    assert.equal(e.message, message, code);
    assert.equal(e.cause, cause);
    assert.equal(e.podId, 'id-1');
    assert.equal(e.attempts, 2);
    assert.ok(!e.message.includes('token') && !e.message.includes('10.0.0.5'), 'no upstream text leaks');
  }
  assert.equal(toPodError(new SyntaxError('Unexpected token <'), POD, 'body').code, 'TRIO2O_POD_BAD_RESPONSE');
  // Once the status and headers arrived, a connection that fails is an incomplete reply (502).
  for (const code of ['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']) {
    const e = toPodError(coded(code), POD, 'body');
    assert.equal(e.code, 'TRIO2O_POD_BAD_RESPONSE', code);
    assert.equal(e.message, 'Incomplete reply from pod RegionOne: the connection closed before the whole body arrived');
  }
});

test('isPodError recognises the shape; toPodError passes PodErrors through', () => {
  const e = new PodError('TRIO2O_POD_TIMEOUT', 'm', POD);
  assert.equal(isPodError(e), true);
  assert.equal(toPodError(e, POD, 'body'), e);
  assert.equal(isPodError(coded('ECONNREFUSED')), false);
  const foreign = Object.assign(new Error('x'), { code: 'TRIO2O_POD_UNREACHABLE', podId: 'p' });
  assert.equal(isPodError(foreign), true, 'another copy of this module is recognised by shape');
});
