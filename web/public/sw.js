/*
 * Balai's service worker: lets the citizen pages open without a connection, so a report kept
 * on the device (see web/src/modules/complaints/drafts.ts) can be seen and is sent when the
 * connection returns. Deliberately small and conservative:
 * - hashed build files (/assets/…, immutable) are served from the cache first;
 * - pages are always fetched from the network, and only when that fails the last app shell is used;
 * - the API and everything else is never touched.
 * The cache is kept to one build: when a page load brings a shell of a new build (it names other
 * build files), the build files it does not name are dropped. A cheap phone keeps one copy of the
 * app, not one per deployment. Code-split files of the new build are cached again as pages load them.
 */
const CACHE = 'balai-shell-v1';
const SHELL = '/__balai-shell';
const PASS = /^\/(t\/[a-z0-9-]+\/)?(api|open311|fhir|docs|healthz|readyz|metrics)(\/|$)/;

const ASSET = /\/assets\/[^"'\s<>()]+/g;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) =>
  event.waitUntil(
    // Caches of earlier versions of this worker, then the open pages.
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('balai-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  ),
);

/** The build files a shell names (its entry script, style sheets, preloads). */
async function assetsOf(res) {
  return new Set(((await res.text()).match(ASSET) || []).map((u) => new URL(u, self.location.origin).pathname));
}

/** Keeps a new shell; when it belongs to another build, drops the build files it does not name. */
async function keepShell(res) {
  const c = await caches.open(CACHE);
  const previous = await c.match(SHELL);
  await c.put(SHELL, res.clone());
  if (!previous) return;
  const [before, now] = await Promise.all([assetsOf(previous), assetsOf(res.clone())]);
  if (now.size === 0 || (now.size === before.size && [...now].every((a) => before.has(a)))) return;
  const keys = await c.keys();
  await Promise.all(
    keys.filter((k) => {
      const path = new URL(k.url).pathname;
      return path.startsWith('/assets/') && !now.has(path);
    }).map((k) => c.delete(k)),
  );
}

// The page names the build files it already loaded before this worker controlled it.
self.addEventListener('message', (event) => {
  const urls = Array.isArray(event.data?.assets) ? event.data.assets.filter((u) => typeof u === 'string' && new URL(u).pathname.startsWith('/assets/')) : [];
  if (urls.length) event.waitUntil(caches.open(CACHE).then((c) => Promise.all(urls.map((u) => c.match(u).then((hit) => hit || c.add(u).catch(() => undefined))))));
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || PASS.test(url.pathname)) return;
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.open(CACHE).then(async (c) => {
        const hit = await c.match(req);
        if (hit) return hit;
        const res = await fetch(req);
        if (res.ok) await c.put(req, res.clone());
        return res;
      }),
    );
    return;
  }
  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok && (res.headers.get('content-type') || '').includes('text/html')) event.waitUntil(keepShell(res.clone()));
          return res;
        })
        .catch(async () => (await caches.match(SHELL)) || Response.error()),
    );
  }
});
