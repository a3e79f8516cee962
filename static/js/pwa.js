// The installable app, from the page's side: registers the service worker, keeps or
// removes the crisis card on this device, and removes it on sign-out.
(function () {
  "use strict";
  var CARD = "crisis-card";
  if (!("serviceWorker" in navigator) || !window.caches) return;

  navigator.serviceWorker.register("/sw.js", { scope: "/" });

  function dropCard() {
    return caches.delete(CARD);
  }

  function keepCard(url) {
    // The card and the styles it uses; a page that is not the card (signed out: the
    // sign-in page) is never stored.
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok || response.redirected) throw new Error("not signed in");
      return caches.open(CARD).then(function (cache) {
        var styles = Array.prototype.map.call(
          document.querySelectorAll("link[rel=stylesheet]"), function (l) { return l.href; });
        return Promise.all([cache.put(url, response)].concat(
          styles.map(function (href) { return cache.add(href).catch(function () {}); })));
      });
    });
  }

  function showCard(section) {
    var url = section.getAttribute("data-crisis-card");
    var status = section.querySelector("[data-card-status]");
    function draw(kept) {
      section.querySelector("[data-card-on]").hidden = !kept;
      section.querySelector("[data-card-off]").hidden = kept;
      section.querySelector("[data-card-keep]").hidden = kept;
      section.querySelector("[data-card-remove]").hidden = !kept;
    }
    caches.open(CARD).then(function (c) { return c.match(url); }).then(function (r) {
      draw(!!r);
      section.hidden = false;
    });
    section.querySelector("[data-card-keep]").addEventListener("click", function () {
      keepCard(url).then(function () {
        draw(true);
        status.textContent = status.dataset.stored;
      }, function () {
        status.textContent = status.dataset.notStored;
      });
    });
    section.querySelector("[data-card-remove]").addEventListener("click", function () {
      dropCard().then(function () {
        draw(false);
        status.textContent = status.dataset.removed;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-crisis-card]"), showCard);
  });

  // Signing out removes the card before the form goes.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.action || new URL(form.action).pathname !== "/accounts/logout/" || form.dataset.cardDropped) return;
    event.preventDefault();
    form.dataset.cardDropped = "1";
    dropCard().finally(function () { form.submit(); });
  });

  // Notifications on this device (push/ on the account pages): subscribe with the
  // server's key and save what the browser gives, under the name the person chose.
  function keyBytes(base64url) {
    var raw = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-push-key]");
    if (!form || !("PushManager" in window) || !window.Notification) return;
    var status = form.querySelector("[data-push-status]");
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      status.textContent = "";
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") {
          throw new Error(status.dataset.blocked);
        }
        return navigator.serviceWorker.ready;
      }).then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(form.getAttribute("data-push-key"))
        });
      }).then(function (subscription) {
        var json = subscription.toJSON();
        var body = new URLSearchParams({
          csrfmiddlewaretoken: form.elements.csrfmiddlewaretoken.value,
          device_name: form.elements.device_name.value,
          endpoint: json.endpoint,
          p256dh: json.keys.p256dh,
          auth: json.keys.auth
        });
        return fetch(form.getAttribute("data-push-url"), { method: "POST", body: body, credentials: "same-origin" });
      }).then(function (response) {
        if (!response.ok) throw new Error(status.dataset.notSaved);
        window.location.reload();
      }).catch(function (error) {
        // Our own words (in the page's language, from its data- attributes), never the
        // browser's English error.
        var ours = [status.dataset.blocked, status.dataset.notSaved];
        status.textContent = ours.indexOf(error.message) >= 0 ? error.message : status.dataset.failed;
      });
    });
  });
})();
