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
