// An access card's QR code opens the portal at /#email=...&code=...: the fragment, which no browser
// sends to a server, so neither the email nor the code reaches an access log. Fill the form from it,
// then take it out of the address bar and the history.
(function () {
  "use strict";
  var fragment = window.location.hash.slice(1);
  if (!fragment) {
    return;
  }
  var values = new URLSearchParams(fragment);
  ["email", "code"].forEach(function (name) {
    var field = document.getElementById(name);
    if (field && values.get(name)) {
      field.value = values.get(name);
    }
  });
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  var button = document.querySelector("form button[type=submit]");
  if (button && values.get("email") && values.get("code")) {
    button.focus();
  }
})();
