/* The field kit's shared part, on every page of a signed-in user (docs/field-kit.md): registers the
   service worker, asks it to store Today and its rosters, keeps the phone's queue in IndexedDB, and on
   sign-out warns about anything unsent, then deletes the caches and the queue. Words come translated
   from the page (#fieldkit-strings); this file holds no user-facing text. */
(function () {
  "use strict";
  var DB_NAME = "hamkori-fieldkit";
  var dbPromise = null;
  var words = {};
  try { words = JSON.parse(document.getElementById("fieldkit-strings").textContent); } catch (e) { /* no words */ }

  function fill(text, values) {
    return String(text).replace(/%\((\w+)\)s/g, function (all, name) {
      return values && values[name] !== undefined ? values[name] : all;
    });
  }

  // Plural entries hold the forms for 1, 2 and 5; Intl.PluralRules says which one a count takes.
  function t(key, values) {
    var entry = words[key];
    if (entry === undefined) { return key; }
    if (Array.isArray(entry)) {
      var count = values ? values.count : 0;
      var index = 2;
      try {
        var category = new Intl.PluralRules(document.documentElement.lang || "en").select(count);
        index = { one: 0, two: 1, few: 1 }[category];
        if (index === undefined) { index = 2; }
      } catch (e) { index = count === 1 ? 0 : 2; }
      entry = entry[index];
    }
    return fill(entry, values);
  }

  function openDb() {
    if (!window.indexedDB) { return Promise.reject(new Error("no IndexedDB")); }
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore("batches", { keyPath: "key" });
          request.result.createObjectStore("tests", { keyPath: "id" });
          // Roster saves the worker caught on their way out (core/templates/core/sw.js).
          request.result.createObjectStore("forms", { keyPath: "id", autoIncrement: true });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { dbPromise = null; reject(request.error); };
      });
    }
    return dbPromise;
  }

  // One request in its own transaction; resolves once the transaction is committed.
  function run(storeName, mode, makeRequest) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(storeName, mode);
        var request = makeRequest(transaction.objectStore(storeName));
        transaction.oncomplete = function () { resolve(request.result); };
        transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  var kit = {
    t: t,
    all: function (store) { return run(store, "readonly", function (s) { return s.getAll(); }); },
    get: function (store, key) { return run(store, "readonly", function (s) { return s.get(key); }); },
    put: function (store, value) { return run(store, "readwrite", function (s) { return s.put(value); }); },
    remove: function (store, key) { return run(store, "readwrite", function (s) { return s.delete(key); }); },
    csrf: function () {
      var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
      return match ? decodeURIComponent(match[1]) : "";
    },
    randomKey: function () {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    },
    // POST JSON to our API with the session and CSRF token; resolves with {status, data}.
    postJson: function (url, body) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": kit.csrf() },
        body: JSON.stringify(body)
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { status: response.status, data: data };
        });
      });
    },
    signInHref: function () {
      return (words.login_url || "/accounts/login/") + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    },
    // What would be lost by signing out now: queued marks and queued test submissions.
    unsent: function () {
      return Promise.all([kit.all("batches"), kit.all("tests")]).then(function (found) {
        var marks = found[0].reduce(function (sum, batch) { return sum + batch.marks.length; }, 0);
        return marks + found[1].filter(function (test) { return test.queued; }).length;
      }).catch(function () { return 0; });
    }
  };
  window.HamkoriFieldKit = kit;

  function clearPhone() {
    var jobs = [];
    if (window.caches) {
      jobs.push(caches.keys().then(function (names) {
        return Promise.all(names.map(function (name) { return caches.delete(name); }));
      }));
    }
    jobs.push((dbPromise || Promise.resolve(null)).catch(function () { return null; }).then(function (db) {
      if (db) { db.close(); }
      dbPromise = null;
      return new Promise(function (resolve) {
        if (!window.indexedDB) { resolve(); return; }
        var request = indexedDB.deleteDatabase(DB_NAME);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      });
    }));
    try {
      Object.keys(window.localStorage).forEach(function (key) {
        if (key.indexOf("hamkori-") === 0) { window.localStorage.removeItem(key); }
      });
    } catch (e) { /* storage blocked */ }
    return Promise.all(jobs);
  }

  var signOut = document.querySelector("form[data-fieldkit-sign-out]");
  if (signOut) {
    signOut.addEventListener("submit", function (event) {
      if (signOut.getAttribute("data-cleared")) { return; }
      event.preventDefault();
      kit.unsent().then(function (count) {
        if (count && !window.confirm(t("sign_out_unsent"))) { return; }
        return clearPhone().then(function () {
          signOut.setAttribute("data-cleared", "1");
          HTMLFormElement.prototype.submit.call(signOut);
        });
      });
    });
  }

  if (!("serviceWorker" in navigator)) { return; }
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* the site works without it */ });

  // Today: store this page and the rosters it links to, so that they open without a connection.
  var precache = document.querySelector("[data-fieldkit-precache]");
  if (precache && navigator.onLine !== false) {
    // A page the worker served is already stored; one loaded before the worker took over is not.
    var urls = navigator.serviceWorker.controller ? [] : [window.location.pathname];
    Array.prototype.forEach.call(document.querySelectorAll("a[data-fieldkit-offline]"), function (link) {
      urls.push(link.getAttribute("href"));
    });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "precached" && event.data.count) {
        precache.textContent = t("saved_offline_page");
        precache.setAttribute("data-fieldkit-precached", String(event.data.count));
      }
    });
    navigator.serviceWorker.ready.then(function (registration) {
      registration.active.postMessage({ type: "precache", urls: urls });
    });
  }
})();
