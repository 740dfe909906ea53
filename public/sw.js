// Service worker of the NeuroMOP page. It stores the page's files when it is
// installed, so the page works offline after the first visit. It serves
// them network first, so the browser gets the current build while the
// server is reachable. The stored copy is used only when the network fails.
'use strict';

// Bump the version when the list of files or the caching rules change, so
// that the old cache is deleted on activation.
const cacheName = 'neuromop-v2';

const required = [
  './',
  'index.html',
  'style.css',
  'main.js',
  'worker.js',
  'wasm_exec.js',
  'main.wasm',
  'manifest.webmanifest',
  'icon.svg',
];

// optional files are stored when the server has them.
const optional = ['worker.wasm'];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(cacheName);
    await cache.addAll(required.map((url) => new Request(url, { cache: 'no-cache' })));
    await Promise.all(optional.map(async (url) => {
      try {
        const response = await fetch(url, { cache: 'no-cache' });
        if (response.ok) {
          await cache.put(url, response);
        }
      } catch (err) {
        console.warn(`sw.js: ${url} was not stored: ${err}`);
      }
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('neuromop-') && name !== cacheName) {
        await caches.delete(name);
      }
    }
    await self.clients.claim();
  })());
});

// appFiles contains the absolute URLs of the stored files. Only these are
// stored again after a fetch, under their URL without the query string, so
// the cache cannot grow with every distinct query.
const appFiles = new Set([...required, ...optional].map((url) => new URL(url, self.location).href));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  event.respondWith(networkFirst(event));
});

async function networkFirst(event) {
  const request = event.request;
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    const key = new URL(request.url);
    key.search = '';
    if (response.ok && response.type === 'basic' && appFiles.has(key.href)) {
      // The page gets the response while the copy is stored, so a large
      // download is not held back until it is complete.
      event.waitUntil(cache.put(key.href, response.clone()));
    }
    return response;
  } catch (err) {
    // The query string carries settings, not a different file.
    const stored = await cache.match(request, { ignoreSearch: true });
    if (stored) {
      return stored;
    }
    if (request.mode === 'navigate') {
      const page = await cache.match('index.html');
      if (page) {
        return page;
      }
    }
    throw err;
  }
}
