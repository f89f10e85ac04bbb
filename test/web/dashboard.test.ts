// The dashboard in a real headless Chromium (Debian's chromium, driven by playwright-core): log in, read the
// chart drawn from the test data, search and remove a suppression, open an event and see its raw DSN.
// Screenshots go to test-artifacts/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startService, type Service } from '../../src/service.js';
import { ADMIN_TOKEN, READ_TOKEN, seed, testConfig } from '../support/api.js';
import { freshDatabase, type Fresh } from '../support/stores.js';

const CHROMIUM = process.env['REBOUND_TEST_CHROMIUM'] ?? '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

// a browser on a busy 2-vCPU machine: each step may take a while, none is timed
describe('dashboard in Chromium', { timeout: 90_000 }, () => {
  let db: Fresh;
  let svc: Service;
  let base: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const offsite: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `dashboard-${name}.png`), fullPage: true });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (see .ci/run)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    db = await freshDatabase('sqlite');
    const config = testConfig({ 'database.url': db.url, 'smtp.listen': 'off', 'http.listen': '127.0.0.1:0' });
    svc = await startService(config, createLogger('silent'));
    await seed(svc.store, config);
    base = `http://127.0.0.1:${svc.http?.address().port}`;
    profile = mkdtempSync(join(tmpdir(), 'rebound-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
    page = context.pages()[0] ?? await context.newPage();
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (m) => {
      // Chromium reports every 4xx answer; the 401s of "not logged in yet" and of the wrong token are expected
      if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) offsite.push(r.url()); });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await svc?.stop();
    await db?.cleanup();
  });

  it('asks for a token, refuses a wrong one and logs in with the admin token', async () => {
    await page.goto(`${base}/`);
    await page.locator('#token').waitFor();
    await shot('login');
    await page.fill('#token', 'not-the-token-at-all');
    await page.click('#login-submit');
    await expect.poll(() => page.textContent('#login-error')).toContain('not a token');
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login-submit');
    await page.locator('#chart svg').waitFor();
    expect(await page.textContent('#who')).toBe('admin');
  });

  it('shows the bounces per day chart, top reasons, top domains and the sender-fault callout', async () => {
    const sum = (key: string) => page.$$eval(`#chart rect[data-key="${key}"]`, (rs) => rs.reduce((n, r) => n + Number(r.getAttribute('data-count')), 0));
    expect({ hard: await sum('hard'), soft: await sum('soft'), complaint: await sum('complaint'), autoReply: await sum('auto-reply') })
      .toEqual({ hard: 3, soft: 2, complaint: 1, autoReply: 1 });
    // the bars stand on the days the test data fell on: three of the last four days hold two events
    const days = await page.$$eval('#chart g[data-total="2"]', (gs) => gs.map((g) => g.getAttribute('data-day')));
    expect(days).toHaveLength(3);
    expect(await page.textContent('[data-testid="legend-hard"]')).toBe('hard bounces: 3');
    expect(await page.textContent('#top-reasons')).toContain('userunknown');
    expect(await page.textContent('#top-domains')).toContain('example.com');
    const callout = page.locator('#sender-fault.callout');
    expect(await callout.textContent()).toMatch(/Sender-fault rejections: 1.*blocked/s);
    await shot('overview');
  });

  it('searches the suppression list and removes one after confirmation', async () => {
    await page.click('header nav a[data-nav="suppressions"]');
    await page.locator('#suppression-filters').waitFor();
    await page.fill('#s-search', 'page-1');
    await page.click('#suppression-filters button[type="submit"]');
    await expect.poll(() => page.$$eval('#suppression-rows tr', (rows) => rows.map((r) => r.getAttribute('data-address')))).toEqual(
      Array.from({ length: 10 }, (_, i) => `page-1${i}@list.example`),
    );

    // cancelling changes nothing
    await page.click('tr[data-address="page-13@list.example"] button[data-action="remove"]');
    await page.locator('#confirm').waitFor({ state: 'visible' });
    await page.click('#confirm-cancel');
    expect(await svc.store.isSuppressed('page-13@list.example')).toBeDefined();

    await page.click('tr[data-address="page-12@list.example"] button[data-action="remove"]');
    await page.locator('#confirm').waitFor({ state: 'visible' });
    expect(await page.textContent('#confirm-text')).toContain('page-12@list.example');
    await page.fill('#confirm-note', 'asked to be mailed again');
    await shot('remove-confirm');
    await page.click('#confirm-ok');
    await page.locator('tr[data-address="page-12@list.example"]').waitFor({ state: 'detached' });
    expect(await page.textContent('#toast')).toContain('page-12@list.example is no longer suppressed');
    expect(await svc.store.isSuppressed('page-12@list.example')).toBeUndefined();
    expect(await svc.store.isSuppressed('page-13@list.example')).toBeDefined();
    const audit = await svc.store.listAudit('page-12@list.example');
    expect(audit.at(-1)).toMatchObject({ change: 'remove', actor: 'manual', detail: 'asked to be mailed again' });
    await shot('suppressions');
  });

  it('opens an event and shows its raw DSN, the fields, the decoder and the policy decision', async () => {
    await page.click('header nav a[data-nav="events"]');
    await page.locator('#event-rows tr').first().waitFor();
    await page.click('#event-rows a:text("joe@example.com")');
    await page.locator('#raw-message').waitFor();
    const raw = await page.textContent('#raw-message');
    expect(raw).toContain('Content-Type: message/delivery-status');
    expect(raw).toContain('Final-Recipient: rfc822; joe@example.com');
    expect(await page.textContent('#extracted [data-field="Status"]')).toBe('5.1.1');
    expect(await page.textContent('#extracted [data-field="Reason"]')).toBe('userunknown');
    expect(await page.textContent('#reading [data-field="Decoder"]')).toBe('postfix');
    expect(await page.textContent('#decision [data-field="Outcome"]')).toBe('suppress');
    expect(await page.textContent('#decision [data-field="Rule"]')).not.toBe('');
    expect(await page.textContent('#decision [data-field="Address now"]')).toMatch(/^suppressed \(userunknown\)/);
    await shot('event');
  });

  it('gives the read-only token no remove buttons', async () => {
    await page.click('#logout');
    await page.locator('#token').waitFor();
    await page.fill('#token', READ_TOKEN);
    await page.click('#login-submit');
    await expect.poll(() => page.textContent('#who')).toBe('read-only');
    await page.goto(`${base}/#/suppressions`);
    await page.locator('#suppression-rows tr').first().waitFor();
    expect(await page.$$('button[data-action="remove"]')).toHaveLength(0);
  });

  it('loaded nothing from elsewhere and logged no errors', () => {
    expect(offsite).toEqual([]);
    expect(problems).toEqual([]);
  });
});
