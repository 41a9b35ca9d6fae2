/* Brug: the registration form's proof-of-work check, shown only while a session is flooded
   (services/scheduler/bookings/challenge.py). Gives the ALTCHA widget its worker and its texts in
   the page's language; the widget fetches a challenge from this site when the form is sent, solves
   it in a worker and puts its answer in the form's "altcha" field.

   Vendored from the npm registry, unchanged (altcha 3.2.2, MIT licence in altcha-LICENSE.txt):
   altcha.js is dist/external/altcha.min.js (no styles or workers built in, so the page's
   Content-Security-Policy needs no inline style, blob: or eval), altcha.css is
   dist/external/altcha.css, altcha-pbkdf2.js is dist/workers/pbkdf2.js. Loaded after altcha.js. */
(function () {
  "use strict";
  var widget = document.querySelector("altcha-widget[data-strings]");
  if (!widget || !window.$altcha) { return; }
  var worker = widget.getAttribute("data-worker");
  window.$altcha.algorithms.set("PBKDF2/SHA-256", function () { return new Worker(worker); });
  window.$altcha.i18n.set(widget.getAttribute("language"), JSON.parse(widget.getAttribute("data-strings")));
})();
