// When a login form is sent: its button is disabled (no second submit) and a live region, which
// screen readers announce, says what happens next. The team is known only after the check, so the
// text cannot name it. A file of its own: the Content-Security-Policy allows scripts from 'self' only.
"use strict";
document.addEventListener("submit", function (event) {
  var form = event.target;
  var region = form.querySelector("[data-progress-region]");
  var button = form.querySelector("button[type=submit]");
  if (!region || !button || button.disabled) {
    return;
  }
  button.disabled = true;  // after the submit event: the form is sent all the same
  region.textContent = form.getAttribute("data-progress");
});
// Back from Studio (the browser's back/forward cache): the form can be used again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form button[type=submit]").forEach(function (button) {
    button.disabled = false;
  });
  document.querySelectorAll("[data-progress-region]").forEach(function (region) {
    region.textContent = "";
  });
});
