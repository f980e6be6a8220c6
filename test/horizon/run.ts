// Horizon through the gateway (`npm run test:horizon`, not part of `npm test`): Debian's
// openstack-dashboard (Horizon 23) with the gateway's RegionOne as its compute and volume
// service, driven by a real headless Chromium (puppeteer-core). A member logs in; Overview,
// Instances, Volumes, Images and Key Pairs answer 200 with no error banner or toast and show
// the servers and volumes of both pods; an instance launched and a volume created from Horizon
// land in the pod of the zone picked. Screenshots of every page go to test-artifacts/horizon/.
// Needs `npm run build` (dist/trio2o) and Debian's keystone, openstack-dashboard and chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { poll } from '../realpods/bed/util';
import { MANAGE_PY } from './horizon';
import { ERROR_RECORDER, errorsOn } from './page-errors';
import { MEMBER, SEEDED, startHorizonBed, type HorizonBed } from './bed';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'horizon');
/** Angular pages keep loading after the document: give toasts time to appear. */
const SETTLE_MS = 2_000;
const STEP_TIMEOUT_MS = 120_000;

let bed: HorizonBed;
let browser: Browser;
let page: Page;
const shots: string[] = [];

interface Visit {
  status: number;
  /** Error banners (Django messages) and toasts (Angular) on the page. */
  errors: string[];
  text: string;
}

async function shot(name: string): Promise<void> {
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  shots.push(file);
}

async function visit(name: string, path: string): Promise<Visit> {
  const res = await page.goto(`${bed.horizon.url}${path}`, { waitUntil: 'networkidle0' });
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  await shot(name);
  const text = await page.$eval('body', (e) => (e as HTMLElement).innerText);
  return { status: res?.status() ?? 0, errors: await errorsOn(page), text };
}

const podNames = (i: number, kind: 'servers' | 'volumes') => [...bed.cloud.pods[i]![kind].values()].map((x) => x.name);

before(async () => {
  for (const [what, file] of [['dist/trio2o (npm run build)', 'dist/trio2o'], ['openstack-dashboard', MANAGE_PY], ['chromium', CHROMIUM]] as const) {
    if (!existsSync(file)) throw new Error(`${what} is missing: ${file}`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  bed = await startHorizonBed();
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  await page.evaluateOnNewDocument(ERROR_RECORDER);
});

after(async () => {
  await browser?.close();
  await bed?.stop();
  if (shots.length) console.log(`screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}`);
});

test('a member logs in and lands in the gateway region', async () => {
  const res = await page.goto(`${bed.horizon.url}/auth/login/`, { waitUntil: 'networkidle2' });
  assert.equal(res?.status(), 200);
  await shot('login');
  await page.type('#id_username', MEMBER.user);
  await page.type('#id_password', MEMBER.password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.click('#loginBtn')]);
  assert.match(page.url(), /\/project\/$/);
  const header = await page.$eval('.navbar', (e) => (e as HTMLElement).innerText);
  assert.match(header, /RegionOne/);
  assert.match(header, new RegExp(MEMBER.project));
});

/** Visits a page and checks it answered 200 with no error banner or toast. */
async function cleanPage(name: string, path: string): Promise<Visit> {
  const v = await visit(name, path);
  assert.equal(v.status, 200);
  assert.deepEqual(v.errors, []);
  return v;
}

test('Overview: limits and usage of both pods, no error', async () => {
  const v = await cleanPage('overview', '/project/');
  // Instances 2 (one per pod), volumes 2, from the gateway's limits.
  assert.match(v.text, /Instances\s+Used 2 of/);
  assert.match(v.text, /Volumes\s+Used 2 of/);
  for (const s of SEEDED.servers) assert.ok(v.text.includes(s.name), `usage lists ${s.name}`);
});

for (const [title, name, kind, seeded] of [['Instances', 'instances', 'servers', SEEDED.servers], ['Volumes', 'volumes', 'volumes', SEEDED.volumes]] as const) {
  test(`${title}: the ${kind} of both pods, no error`, async () => {
    const v = await cleanPage(name, `/project/${name}/`);
    for (const x of seeded) assert.ok(v.text.includes(x.name), `${x.name} is listed`);
    seeded.forEach((x, i) => assert.ok(podNames(i, kind).includes(x.name), `${x.name} is in Pod${i + 1}`));
  });
}

test('Images: the image service of the region, no error', async () => {
  assert.match((await cleanPage('images', '/project/images')).text, /cirros/);
});

test('Key Pairs: the member\'s key pair, no error', async () => {
  assert.ok((await cleanPage('key-pairs', '/project/key_pairs')).text.includes(SEEDED.keypair));
});

/** Clicks the allocate (arrow up) button of the wizard's available row containing `text`. */
async function allocate(text: string): Promise<void> {
  await page.waitForFunction((t) => [...document.querySelectorAll('.modal-dialog tr')].some((tr) => tr.textContent?.includes(t) && tr.querySelector('.fa-arrow-up')), {}, text);
  await page.evaluate((t) => {
    const row = [...document.querySelectorAll('.modal-dialog tr')].find((tr) => tr.textContent?.includes(t) && tr.querySelector('.fa-arrow-up'))!;
    (row.querySelector('.fa-arrow-up')!.closest('button') as HTMLElement).click();
  }, text);
}

test('Launch Instance (az2, cirros, m1.tiny, no new volume) boots the server in Pod2', async () => {
  await visit('instances-before-launch', '/project/instances/');
  await page.click('#instances__action_launch-ng');
  await page.waitForSelector('.modal-dialog #name', { visible: true });
  await page.type('.modal-dialog #name', 'hz-launched');
  await page.waitForFunction(() => [...document.querySelectorAll('#availability-zone option')].some((o) => o.textContent?.trim() === 'az2'));
  const az2 = await page.$$eval('#availability-zone option', (os) => (os as HTMLOptionElement[]).find((o) => o.textContent?.trim() === 'az2')!.value);
  await page.select('#availability-zone', az2);
  await shot('launch-details');
  await page.click('.modal-dialog button.next');
  await page.waitForFunction(() => [...document.querySelectorAll('.modal-dialog label.btn')].some((l) => l.id === 'vol-create'));
  await page.evaluate(() => {
    const no = [...document.querySelectorAll('.modal-dialog label.btn')].find((l) => l.id === 'vol-create' && l.textContent?.trim() === 'No') as HTMLElement;
    no.click();
  });
  await allocate('cirros');
  await shot('launch-source');
  await page.click('.modal-dialog button.next');
  await allocate('m1.tiny');
  await shot('launch-flavor');
  const wizardErrors = await errorsOn(page);
  await page.click('.modal-dialog button.finish');
  await page.waitForSelector('.modal-dialog', { hidden: true });
  const created = await poll('hz-launched in Pod2', 60_000, async () => podNames(1, 'servers').includes('hz-launched'));
  assert.ok(created);
  assert.equal(podNames(0, 'servers').includes('hz-launched'), false);
  const v = await poll('hz-launched listed', 60_000, async () => {
    const r = await visit('instances-after-launch', '/project/instances/');
    return r.text.includes('hz-launched') && r;
  });
  assert.deepEqual(v.errors, []);
  assert.deepEqual(wizardErrors, []);
});

test('Create Volume (az2, 1 GiB, empty) makes the volume in Pod2', async () => {
  await visit('volumes-before-create', '/project/volumes/');
  await page.click('#volumes__action_create');
  await page.waitForSelector('.modal-dialog #id_name', { visible: true });
  await page.type('.modal-dialog #id_name', 'hz-vol-created');
  const zones = await page.$$eval('#id_availability_zone option', (os) => os.map((o) => (o as HTMLOptionElement).value));
  assert.deepEqual(zones.filter((z) => z !== ''), ['az1', 'az2']);
  await page.select('#id_availability_zone', 'az2');
  await shot('create-volume');
  await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.click('.modal-dialog .modal-footer [type=submit]')]);
  const errors = await errorsOn(page);
  await poll('hz-vol-created in Pod2', 60_000, async () => podNames(1, 'volumes').includes('hz-vol-created'));
  assert.equal(podNames(0, 'volumes').includes('hz-vol-created'), false);
  const v = await visit('volumes-after-create', '/project/volumes/');
  assert.ok(v.text.includes('hz-vol-created'));
  assert.deepEqual([...errors, ...v.errors], []);
});
