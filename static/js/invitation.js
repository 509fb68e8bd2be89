// The invitation's code travels in the link's fragment (after "#"), which the browser never
// sends to a server, so no access log or proxy holds it. Put it in the form's field and take
// it out of the address bar.
(function () {
  var field = document.getElementById("id_token");
  var code = window.location.hash.slice(1);
  if (field && code) {
    field.value = decodeURIComponent(code);
    history.replaceState(null, "", window.location.pathname);
  }
})();
