// The plan's steps: answers never lost. Every page works without this file (each
// card has its Save button); with it, cards save as the member goes, "Go to step N"
// saves what is left first, and leaving with unsaved answers asks first. The
// check-in loads it too, for the caution beside a risky tie (at the end).
(function () {
  "use strict";

  var pending = 0; // saves on their way to the server

  function cardForms() {
    return document.querySelectorAll("form[data-autosave]");
  }

  function stateOf(form) {
    var card = form.closest("article");
    return card && card.querySelector("[data-save-state]");
  }

  // What a card says of its answers, in the page's language: the form's data-saving,
  // data-unsaved and data-failed (templates/plans/step2.html, step3.html).
  function mark(form, which) {
    var state = stateOf(form);
    if (state) state.textContent = form.dataset[which] || "";
  }

  function dirty() {
    return Array.prototype.filter.call(cardForms(), function (form) {
      return form.dataset.dirty === "true";
    });
  }

  // Other forms of the plan (step 4's new entries): typed in but not yet added.
  function unsent() {
    return document.querySelector("form[data-warn-unsaved][data-dirty='true']");
  }

  // Save one card without redrawing it: the answer redraws its state line (and the
  // live region says what was saved), or the card with its mistakes shown.
  function save(form) {
    form.dataset.dirty = "saving";
    mark(form, "saving");
    pending += 1;
    return htmx
      .ajax("POST", form.getAttribute("action"), {
        source: form,
        swap: "none",
        headers: { "X-Autosave": "true" },
      })
      .finally(function () {
        pending -= 1;
      });
  }

  document.addEventListener("input", function (event) {
    var other = event.target.closest && event.target.closest("form[data-warn-unsaved]");
    if (other) other.dataset.dirty = "true";
    var form = event.target.closest && event.target.closest("form[data-autosave]");
    if (!form) return;
    form.dataset.dirty = "true";
    mark(form, "unsaved");
    redraft(form);
  });

  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-autosave]");
    if (!form) return;
    redraft(form);
    if (form.dataset.dirty === "true") save(form);
  });

  // A save that failed leaves the card unsaved (its answers are still on the page).
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.matches || !form.matches("form[data-autosave]")) return;
    if (event.detail.successful) {
      if (form.dataset.dirty === "saving") delete form.dataset.dirty;
      return;
    }
    // The card came back with its mistakes shown, in place of this one.
    var card = form.closest("article");
    var fresh = card && document.getElementById(card.id);
    var now = (fresh && fresh.querySelector("form[data-autosave]")) || form;
    now.dataset.dirty = "true";
    mark(now, "failed");
  });

  // A card submitted with its own button is saved: nothing to warn about.
  document.addEventListener("submit", function (event) {
    delete event.target.dataset.dirty;
  });

  // "Go to step N": save every changed card first, then go on; stay if one has a
  // mistake to fix.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-saves-first]");
    if (!link) return;
    var changed = dirty();
    if (!changed.length && !pending) return;
    event.preventDefault();
    mark(changed[0] || cardForms()[0], "saving");
    Promise.all(changed.map(save)).then(function () {
      var wait = setInterval(function () {
        if (pending) return;
        clearInterval(wait);
        var left = dirty();
        if (left.length) {
          var first = left[0].closest("article");
          var invalid = first && first.querySelector("[aria-invalid='true']");
          (invalid || first).focus();
        } else {
          window.location.assign(link.href);
        }
      }, 50);
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty().length || pending || unsent()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Step 2: the drafted message follows what the member ticks, in the same words the
  // server drafts with (plans/messages.py, sent as JSON in #draft-words).
  var words = null;

  function redraft(form) {
    var draft = form.querySelector("[data-draft]");
    if (!draft) return;
    if (!words) {
      var table = document.getElementById("draft-words");
      if (!table) return;
      words = JSON.parse(table.textContent);
    }
    // A group is asked in the words for many (plans/messages.py: to_group).
    var say = form.dataset.draftGroup ? Object.assign({}, words, words.to_group) : words;
    var wants = [];
    form.querySelectorAll("input[name='ask_support']:checked").forEach(function (box) {
      if (words.wants[box.value]) wants.push(words.wants[box.value]);
    });
    if (!wants.length) wants = [words.default_want];
    var wish =
      wants.length === 1
        ? wants[0]
        : wants.slice(0, -1).join(", ") + words.and + wants[wants.length - 1];
    var ask = say.ask.replace("{wish}", wish);
    var howOften = form.querySelector("[name='ask_how_often']");
    if (howOften && words.how_often_words[howOften.value]) {
      ask += say.how_often.replace("{how_often}", words.how_often_words[howOften.value]);
    }
    var lines = [form.dataset.draftGreeting, "", ask];
    var note = form.querySelector("[name='ask_note']");
    if (note && note.value.trim()) lines.push("", note.value.trim());
    var sender = form.dataset.draftSender;
    // A function, so a "$&" in a name is not read as a replacement pattern.
    var thanks = sender
      ? words.thanks_from.replace("{sender}", function () {
          return sender;
        })
      : words.thanks;
    lines.push("", say.no_pressure, "", thanks);
    var body = lines.join("\n");
    draft.textContent = body;
    form.querySelectorAll("a[data-draft-link]").forEach(function (link) {
      var href = link.getAttribute("href");
      link.setAttribute("href", href.slice(0, href.indexOf("body=") + 5) + encodeURIComponent(body));
    });
  }
})();

// The check-in: someone the member marked a risk to their recovery, once ticked as
// "in touch today", shows the plan's caution and the way to their boundaries
// (templates/plans/checkin.html; without this file it shows once saved).
document.addEventListener("change", function (event) {
  var box = event.target;
  if (box.type !== "checkbox" || !box.closest) return;
  var row = box.closest("div");
  var caution = row && row.querySelector(":scope > [data-when-ticked]");
  if (caution) caution.hidden = !box.checked;
});
