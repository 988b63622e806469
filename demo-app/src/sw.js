// The demo's service worker, for the whole origin. Pages under /sw/ pass through to the
// server; it answers every other navigation itself, with a page that marks its origin's
// localStorage, as an offline-first app's app shell would (nothing of the server's).
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.mode !== 'navigate' || url.pathname.startsWith('/sw/')) return;
  event.respondWith(new Response(
    '<!doctype html><title>app shell</title><script>' +
    'localStorage.setItem("answered-by-service-worker", location.pathname)</script>',
    { headers: { 'Content-Type': 'text/html' } }));
});
// A page asks the worker to fetch a URL itself (a request of the worker's own, as a cache
// warm-up or a background sync makes); the worker answers with the text it got.
self.addEventListener('message', (event) => {
  if (!event.data || !event.data.fetch) return;
  event.waitUntil(fetch(event.data.fetch)
    .then((r) => r.text(), (e) => 'failed: ' + e.name)
    .then((text) => event.source.postMessage({ fetched: text })));
});
