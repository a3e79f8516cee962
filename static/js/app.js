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
