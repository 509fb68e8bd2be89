// A running import: the progress fragment is fetched again every few seconds until the
// import has finished. Without this file the page's "Refresh" link does the same.
(function () {
  "use strict";

  var box = document.getElementById("import-progress");
  if (!box) return;
  var url = box.dataset.progressUrl;

  function finished() {
    var inner = box.querySelector("[data-finished]");
    return inner && inner.dataset.finished === "1";
  }

  function poll() {
    if (finished()) return;
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null) box.innerHTML = html;
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 2000);
})();
