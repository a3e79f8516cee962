// The service worker: the offline page, the member's crisis card when they chose to
// keep it (static/js/pwa.js stores it in the "crisis-card" cache), and push messages.
// Nothing else is kept: every other page comes from the network.
"use strict";

var SHELL = "shell-v1";
var CARD = "crisis-card";
var OFFLINE = "/offline/";
var CARD_URL = "/crisis-card/";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL)
      .then(function (cache) { return cache.add(new Request(OFFLINE, { credentials: "omit" })); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name !== SHELL && name !== CARD;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function offlinePage(url) {
  var card = url.pathname === CARD_URL || url.pathname === "/help/";
  return (card ? caches.open(CARD).then(function (c) { return c.match(CARD_URL); }) : Promise.resolve())
    .then(function (response) { return response || caches.match(OFFLINE); })
    .then(function (response) { return response || Response.error(); });
}

function keepFresh(request, response) {
  // The card, when kept, is refreshed each time it is opened online.
  if (!response.ok || response.redirected) return;
  var copy = response.clone();
  caches.open(CARD).then(function (cache) {
    return cache.match(CARD_URL).then(function (kept) {
      if (kept) return cache.put(CARD_URL, copy);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/accounts/logout/") {
    event.waitUntil(caches.delete(CARD));  // signing out removes the card
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.indexOf("/static/") === 0) {
    // From the network; the copy the card stored, when there is none.
    event.respondWith(fetch(request).catch(function () {
      return caches.match(request).then(function (r) { return r || Response.error(); });
    }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      if (url.pathname === CARD_URL) keepFresh(request, response);
      return response;
    }).catch(function () { return offlinePage(url); }));
  }
});

// Web Push: the message says only what kind of thing is waiting; the details open
// inside the app, after sign-in.
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  event.waitUntil(self.registration.showNotification(data.title || "Recovery Support", {
    body: data.body || "",
    icon: "/static/img/icon-192.png",
    tag: data.tag || "recovery-support",
    data: { url: data.url || "/dashboard/" }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) target = new URL("/", self.location.origin);
  event.waitUntil(self.clients.openWindow(target.href));
});
