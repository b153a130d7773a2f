import { expect, type Page, test } from '@playwright/test';

const CACHE = 'balai-shell-v1';

/** Paths held in the service worker's cache. */
const cached = (page: Page) =>
  page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((k) => new URL(k.url).pathname).sort(), CACHE);

test('the service worker keeps one build in its cache: a new build’s shell drops the old build’s files', async ({ page }) => {
  await page.goto('/lapor');
  await page.evaluate(() => navigator.serviceWorker.ready);
  // Controlled from the next load on; the page then names its build files to the worker.
  await page.reload();
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
  await expect.poll(async () => (await cached(page)).some((p) => /^\/assets\/index-[\w-]+\.js$/.test(p))).toBe(true);

  // A lazily loaded file of this build stays across loads of the same build.
  await page.evaluate(async (name) => {
    const c = await caches.open(name);
    await c.put('/assets/lazy-same-build.js', new Response('// chunk', { headers: { 'content-type': 'text/javascript' } }));
  }, CACHE);
  await page.reload();
  await page.waitForTimeout(500);
  expect(await cached(page)).toContain('/assets/lazy-same-build.js');

  // Pretend the cache holds an earlier build: its shell names other files.
  await page.evaluate(async (name) => {
    const c = await caches.open(name);
    await c.put('/assets/index-OLDBUILD.js', new Response('// old', { headers: { 'content-type': 'text/javascript' } }));
    await c.put('/__balai-shell', new Response('<!doctype html><script type="module" src="/assets/index-OLDBUILD.js"></script>', { headers: { 'content-type': 'text/html' } }));
  }, CACHE);
  await page.reload();
  await expect.poll(() => cached(page)).not.toContain('/assets/index-OLDBUILD.js');
  const after = await cached(page);
  // The build files the new shell names are kept, and the shell itself.
  expect(after).toContain('/__balai-shell');
  expect(after.some((p) => /^\/assets\/index-[\w-]+\.js$/.test(p) && p !== '/assets/index-OLDBUILD.js')).toBe(true);
  expect(after).not.toContain('/assets/lazy-same-build.js');
  // The app still works from the new build.
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});
