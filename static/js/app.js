// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Sign-up: preselect the time zone the browser reports, if we offer it.
  function guessTimeZone() {
    var select = document.querySelector("select[name='time_zone'][data-guess]");
    if (!select || !window.Intl) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && select.querySelector("option[value='" + zone + "']")) {
      select.value = zone;
    }
  }

  document.addEventListener("DOMContentLoaded", guessTimeZone);
})();

// A map wider than the screen opens centred on "You".
(function () {
  "use strict";
  function centreMaps() {
    document.querySelectorAll(".ecomap__scroll").forEach(function (box) {
      box.scrollLeft = (box.scrollWidth - box.clientWidth) / 2;
    });
  }
  document.addEventListener("DOMContentLoaded", centreMaps);
  document.addEventListener("htmx:afterSettle", centreMaps);
})();

// "Print this plan" buttons.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});

// After an in-place update, keep keyboard focus somewhere sensible: on the first
// answer that needs fixing, or on the updated fragment when the button that was
// pressed has gone.
document.addEventListener("htmx:afterSwap", function (event) {
  var fragment = event.detail.elt;
  if (!fragment || !document.body.contains(fragment)) {
    fragment = document.getElementById(event.detail.target && event.detail.target.id);
  }
  if (!fragment) return;
  var invalid = fragment.querySelector("[aria-invalid='true']");
  if (invalid) {
    invalid.focus();
    return;
  }
  var active = document.activeElement;
  if (!active || active === document.body || !document.body.contains(active)) {
    var heading = fragment.querySelector("h2, h3") || fragment;
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
  }
});

// "I need help now" on the check-in: show help at once, without waiting for the
// rest of the form (the server answers with crisis contacts and lines first).
document.addEventListener("change", function (event) {
  var box = event.target;
  if (box.name === "needed_help" && box.checked && box.form && box.form.requestSubmit) {
    box.form.requestSubmit();
  }
});
