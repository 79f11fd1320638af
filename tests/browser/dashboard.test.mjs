// Browser test of the dashboard: a real headless Chromium against a running server.
//
//   HASHLAKE_URL=http://127.0.0.1:8080/ node --test tests/browser/
//
// HASHLAKE_URL: the dashboard (required; `hashlake demo` or the test-only
//   serve_fake_dashboard). HASHLAKE_ARTIFACTS: where screenshots go (default
//   ./test-artifacts). HASHLAKE_CHROMIUM: the browser (default /usr/bin/chromium).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

// playwright-core is a devDependency of web/, not of the repository root.
const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const url = process.env.HASHLAKE_URL;
const artifacts = path.resolve(process.env.HASHLAKE_ARTIFACTS ?? 'test-artifacts');
const executablePath = process.env.HASHLAKE_CHROMIUM ?? '/usr/bin/chromium';
const launchArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let browser;
before(async () => {
  assert.ok(url, 'set HASHLAKE_URL to the dashboard, e.g. http://127.0.0.1:8080/');
  await mkdir(artifacts, { recursive: true });
  browser = await chromium.launch({ executablePath, args: launchArgs, headless: true });
});
after(async () => {
  await browser?.close();
});

// Screenshots right after an update, once its 600 ms animation has finished.
async function settledScreenshot(page, file) {
  const updates = await page.evaluate(() => window.__hashlake.updates);
  await page.waitForFunction((n) => window.__hashlake.updates > n, updates, { timeout: 5000 });
  await page.waitForTimeout(750);
  await page.screenshot({ path: path.join(artifacts, file), fullPage: true });
}

// The bars the chart shows, read back from the ECharts instance through the page's
// debug hook (window.__hashlake, see web/src/pages/live.ts).
async function chartBars(page) {
  return page.evaluate(() => window.__hashlake?.bars() ?? []);
}

async function openDashboard(colorScheme) {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, colorScheme });
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(
    () => (window.__hashlake?.bars() ?? []).length >= 3,
    null, { timeout: 15000 });
  return { page, problems };
}

test('the live page charts top hashtags that update from the stream', async () => {
  const { page, problems } = await openDashboard('light');
  assert.equal(await page.title(), 'hashlake — live');

  const first = await chartBars(page);
  assert.ok(first.length >= 3, `bars: ${JSON.stringify(first)}`);
  for (const bar of first) {
    assert.match(bar.label, /^#\S+$/);
    assert.ok(bar.value > 0, `bars: ${JSON.stringify(first)}`);
  }
  const chartOption = await page.evaluate(() => window.__hashlake.topChart.getOption());
  assert.equal(chartOption.series[0].type, 'bar');
  assert.ok(chartOption.toolbox[0].feature.saveAsImage, 'charts can be saved as PNG');

  // The values move with the stream (the server sends an update every second).
  await page.waitForFunction(
    (before) => JSON.stringify(window.__hashlake.bars()) !== before,
    JSON.stringify(first), { timeout: 10000 });
  assert.ok((await page.evaluate(() => window.__hashlake.updates)) >= 2);

  // The header shows live status from the health events.
  await page.waitForFunction(() => document.getElementById('rate').textContent !== '–',
    null, { timeout: 10000 });
  assert.equal(await page.getAttribute('#conn', 'data-state'), 'live');
  assert.notEqual(await page.textContent('#total'), '–');
  assert.notEqual(await page.textContent('#updated'), '–');
  assert.equal(await page.isVisible('#banner'), false);

  await settledScreenshot(page, 'dashboard.png');
  assert.deepEqual(problems, []);
  await page.close();
});

test('choosing k reconnects the stream with the new query', async () => {
  const { page, problems } = await openDashboard('dark');
  await page.click('.seg[aria-label="top"] button[data-value="20"]');
  await page.waitForFunction(
    () => window.__hashlake.bars().length > 10,
    null, { timeout: 10000 });
  assert.match(page.url(), /k=20/);
  await page.click('.seg[aria-label="window"] button[data-value="10s"]');
  await page.waitForFunction(() => window.__hashlake.lastTop?.window_seconds === 10,
    null, { timeout: 10000 });
  await settledScreenshot(page, 'dashboard-dark.png');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a dropped stream shows the error banner, and it clears on reconnect', async () => {
  const { page } = await openDashboard('light');
  // Closing the EventSource's connection from the page is what a network drop looks like
  // to the app: an error event while EventSource tries to reconnect.
  await page.evaluate(() => {
    const original = window.EventSource;
    window.__sources = [];
    window.EventSource = class extends original {
      constructor(...args) {
        super(...args);
        window.__sources.push(this);
      }
    };
  });
  await page.click('.seg[aria-label="top"] button[data-value="50"]');  // reconnect via the spy
  await page.waitForFunction(() => window.__sources.length === 1 &&
    window.__sources[0].readyState === EventSource.OPEN, null, { timeout: 10000 });
  await page.evaluate(() => window.__sources[0].dispatchEvent(new Event('error')));
  await page.waitForSelector('#banner', { state: 'visible', timeout: 5000 });
  assert.match(await page.textContent('#banner'), /reconnecting/);
  // The next message on the live connection means it is back.
  await page.evaluate(() => window.__sources[0].dispatchEvent(new Event('open')));
  await page.waitForSelector('#banner', { state: 'hidden', timeout: 5000 });
  await page.close();
});
