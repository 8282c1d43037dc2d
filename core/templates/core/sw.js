/* Hamkori's service worker (core.views.service_worker; docs/field-kit.md). Static files: cache first.
   Field-kit pages: network first, the cached copy when there is no connection, else the offline page.
   Nothing else is touched: other pages, the API and every POST go to the network as if there were no worker. */
"use strict";
var CONFIG = {{ config|safe }};
var STATIC_CACHE = "hamkori-static-" + CONFIG.version;
var PAGE_CACHE = "hamkori-pages";
var PAGES = CONFIG.pages.map(function (source) { return new RegExp(source); });
var ROSTER = new RegExp(CONFIG.roster);

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) {
    return cache.addAll(CONFIG.static).then(function () {
      return fetch(CONFIG.offline, { credentials: "same-origin" }).then(function (response) {
        if (response.ok) { return cache.put(CONFIG.offline, response); }
      });
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("hamkori-static-") === 0 && name !== STATIC_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function isCachedPage(url) {
  return url.origin === self.location.origin && PAGES.some(function (pattern) { return pattern.test(url.pathname); });
}

// A page is stored only as the signed-in user saw it: not a redirect to the sign-in page, not an error.
function storePage(request, response) {
  if (!response.ok || response.redirected || response.type !== "basic") { return Promise.resolve(false); }
  var copy = response.clone();
  return caches.open(PAGE_CACHE).then(function (cache) { return cache.put(request, copy); }).then(function () { return true; });
}

function pageFromNetwork(request) {
  return fetch(request).then(function (response) {
    storePage(new Request(request.url), response);
    return response;
  }).catch(function () {
    return caches.match(request.url, { cacheName: PAGE_CACHE, ignoreVary: true }).then(function (cached) {
      return cached || caches.match(CONFIG.offline);
    });
  });
}

function staticFile(request) {
  return caches.match(request).then(function (cached) {
    if (cached) { return cached; }
    return fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(STATIC_CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

// The field kit's IndexedDB (static/fieldkit/fieldkit.js opens the same database with the same stores).
function openDb() {
  return new Promise(function (resolve, reject) {
    var request = indexedDB.open("hamkori-fieldkit", 1);
    request.onupgradeneeded = function () {
      request.result.createObjectStore("batches", { keyPath: "key" });
      request.result.createObjectStore("tests", { keyPath: "id" });
      request.result.createObjectStore("forms", { keyPath: "id", autoIncrement: true });
    };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });
}

// A roster save that cannot reach the server is kept as it was posted, with the time it was made;
// the roster page turns it into queued marks (attendance/static/attendance/roster-offline.js) and
// the phone is sent back to the roster, which opens from its cache.
function rosterSave(request) {
  var copy = request.clone();
  return fetch(request).catch(function () {
    return copy.formData().then(function (data) {
      var entries = [];
      data.forEach(function (value, name) { if (typeof value === "string") { entries.push([name, value]); } });
      return openDb().then(function (db) {
        return new Promise(function (resolve, reject) {
          var transaction = db.transaction("forms", "readwrite");
          transaction.objectStore("forms").add({ path: new URL(request.url).pathname, entries: entries, takenAt: new Date().toISOString() });
          transaction.oncomplete = function () { db.close(); resolve(); };
          transaction.onerror = function () { db.close(); reject(transaction.error); };
        });
      });
    }).then(function () { return Response.redirect(request.url, 303); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && request.mode === "navigate" && ROSTER.test(url.pathname)) {
    event.respondWith(rosterSave(request));
    return;
  }
  if (request.method !== "GET") { return; }
  if (url.pathname.indexOf(CONFIG.staticPrefix) === 0) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate" && isCachedPage(url)) {
    event.respondWith(pageFromNetwork(request));
  }
});

// Today asks for its own page and its sessions' rosters to be stored; the answer says how many were.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "precache" || !Array.isArray(data.urls)) { return; }
  var urls = data.urls.filter(function (href) { return isCachedPage(new URL(href, self.location.origin)); });
  event.waitUntil(Promise.all(urls.map(function (href) {
    return fetch(href, { credentials: "same-origin" }).then(function (response) {
      return storePage(new Request(new URL(href, self.location.origin).href), response);
    }).catch(function () { return false; });
  })).then(function (stored) {
    var count = stored.filter(Boolean).length;
    if (event.source) { event.source.postMessage({ type: "precached", count: count, asked: urls.length }); }
  }));
});
