// Boarding mode at the gate: instant search, one-tap boarded / no-show without a page
// reload, and live counts polled from the server so two tablets at the gate stay in step.
// Without this file the page still works: the search is a GET form and each tap is a POST
// form that redirects back.
(function () {
  "use strict";

  var gate = document.getElementById("gate");
  if (!gate) return;

  var list = gate.querySelector(".fl-gate-list");
  var search = gate.querySelector("[data-gate-search]");
  var noMatch = gate.querySelector("[data-gate-nomatch]");
  var announce = document.getElementById("gate-announce");
  var errorBox = document.getElementById("gate-error");
  var countsUrl = gate.dataset.countsUrl;
  var pollMs = (parseInt(gate.dataset.pollSeconds, 10) || 10) * 1000;
  var pending = 0; // taps on their way to the server; a poll must not undo them on screen

  function seats() {
    return list ? list.querySelectorAll(".fl-gate-seat") : [];
  }

  // Search ---------------------------------------------------------------------------
  function filter() {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    seats().forEach(function (seat) {
      var text = seat.dataset.search || "";
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      seat.hidden = !match;
      if (match) shown += 1;
    });
    if (noMatch) noMatch.hidden = shown > 0 || seats().length === 0;
    return shown;
  }

  if (search) {
    search.addEventListener("input", filter);
    search.form.addEventListener("submit", function (event) {
      // The page shows only the last characters of each document: a search that finds
      // nobody here goes to the server, which looks at whole document numbers.
      if (filter() === 0 && search.value.trim()) return;
      event.preventDefault();
      var url = new URL(window.location.href);
      if (search.value.trim()) url.searchParams.set("q", search.value.trim());
      else url.searchParams.delete("q");
      window.history.replaceState(null, "", url);
    });
  }

  // Rows and counts ------------------------------------------------------------------
  function showStatus(seat, status, label) {
    seat.dataset.status = status;
    var badge = seat.querySelector("[data-seat-label]");
    if (badge) {
      badge.textContent = label;
      badge.className = "fl-seat-status fl-seat-" + status;
    }
    seat.querySelectorAll("button[name=status]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === status ? "true" : "false");
    });
  }

  function showCounts(counts) {
    Object.keys(counts).forEach(function (name) {
      var cell = gate.querySelector('[data-count="' + name + '"]');
      if (cell) cell.textContent = counts[name];
    });
  }

  function showError(message) {
    if (!errorBox) return;
    errorBox.textContent = message || "";
    errorBox.hidden = !message;
  }

  // One tap --------------------------------------------------------------------------
  // Older tablet browsers don't say which button submitted a form (event.submitter).
  var lastTapped = null;
  gate.addEventListener("click", function (event) {
    lastTapped = event.target.closest("button[name=status]");
  });

  gate.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-gate-form]");
    if (!form || !window.fetch) return;
    event.preventDefault();
    var button = event.submitter || lastTapped;
    var seat = form.closest(".fl-gate-seat");
    var data = new FormData(form);
    if (button && button.name) data.set(button.name, button.value);
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    pending += 1;
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().catch(function () {
          throw new Error(response.status === 403 ? "forbidden" : "bad response");
        });
      })
      .then(function (reply) {
        if (reply.booking) showStatus(seat, reply.booking.status, reply.booking.label);
        if (reply.counts) showCounts(reply.counts);
        if (reply.ok) {
          showError("");
          var name = seat.querySelector(".fl-gate-name");
          announce.textContent = (name ? name.textContent + ": " : "") + reply.booking.label;
        } else {
          showError(reply.error);
        }
      })
      .catch(function () {
        showError(gate.dataset.offlineMessage || "The tap did not reach Evac. Check the connection and tap again.");
      })
      .finally(function () {
        pending -= 1;
        buttons.forEach(function (b) { b.disabled = false; });
      });
  });

  // Live counts ----------------------------------------------------------------------
  function poll() {
    if (document.hidden || pending > 0 || !countsUrl) return;
    fetch(countsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state || pending > 0) return;
        showCounts(state.counts);
        seats().forEach(function (seat) {
          var status = state.statuses[seat.id.replace("seat-", "")];
          if (status && status !== seat.dataset.status) {
            showStatus(seat, status, state.labels[status] || status);
          }
        });
        if (state.flight_status !== "boarding") {
          showError(gate.dataset.closedMessage || "Boarding has ended for this flight. Reload the page.");
        }
      })
      .catch(function () { /* the next poll tries again */ });
  }

  window.setInterval(poll, pollMs);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) poll();
  });
})();
