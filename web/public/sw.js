/*
 * Balai's service worker: lets the citizen pages open without a connection, so a report kept
 * on the device (see web/src/modules/complaints/drafts.ts) can be seen and is sent when the
 * connection returns. Deliberately small and conservative:
 * - hashed build files (/assets/…, immutable) are served from the cache first;
 * - pages are always fetched from the network, and only when that fails the last app shell is used;
 * - the API and everything else is never touched.
 */
const CACHE = 'balai-shell-v1';
const SHELL = '/__balai-shell';
const PASS = /^\/(t\/[a-z0-9-]+\/)?(api|open311|fhir|docs|healthz|readyz|metrics)(\/|$)/;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

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
        .then(async (res) => {
          if (res.ok && (res.headers.get('content-type') || '').includes('text/html')) {
            const c = await caches.open(CACHE);
            await c.put(SHELL, res.clone());
          }
          return res;
        })
        .catch(async () => (await caches.match(SHELL)) || Response.error()),
    );
  }
});
