/* Brug: the sealed questionnaire (services/feedback/pages/sealed.py). Every other page works
   without JavaScript; this one cannot, because the answers are sealed here, in the browser.

   The answers become JSON, are padded (ISO/IEC 7816-4, libsodium's sodium_pad) to the page's
   data-padded-size so every envelope has the same length, and are sealed with crypto_box_seal
   to the provider's public key (data-public-key). Only that ciphertext goes into the form; the
   answer inputs are outside it, so the browser has nothing in plain text to send.

   Needs sodium.js and sodium-wrappers.js (libsodium 0.8.4 and libsodium-wrappers 0.8.4 from the
   npm registry, unchanged; ISC licence in sodium-LICENSE.txt), loaded before this file. */
(function () {
  "use strict";
  var questions = document.getElementById("sealed-questions");
  var form = document.getElementById("sealed-envelope");
  if (!questions || !form) { return; }
  var failed = document.getElementById("sealed-failed");
  var tooLong = document.getElementById("sealed-too-long");
  var button = form.querySelector("button[type=submit]");
  var paddedSize = parseInt(questions.getAttribute("data-padded-size"), 10);

  function fail() {
    questions.hidden = true;
    button.disabled = true;
    failed.hidden = false;
  }

  function answers() {
    var found = {};
    Array.prototype.forEach.call(questions.querySelectorAll("[data-question]"), function (question) {
      var id = question.getAttribute("data-question");
      var kind = question.getAttribute("data-kind");
      if (kind === "text") {
        var text = question.querySelector("textarea").value.trim();
        if (text) { found[id] = text; }
        return;
      }
      var chosen = question.querySelector("input[type=radio]:checked");
      if (!chosen) { return; }
      found[id] = kind === "faces" ? parseInt(chosen.value, 10) : chosen.value === "yes";
    });
    return found;
  }

  function seal(sodium, key) {
    var plain = new TextEncoder().encode(JSON.stringify(answers()));
    if (plain.length >= paddedSize) { return null; }
    var padded = sodium.pad(plain, paddedSize);
    if (padded.length !== paddedSize) { throw new Error("padding gave " + padded.length + " bytes"); }
    var sealed = sodium.crypto_box_seal(padded, key);
    sodium.memzero(padded);
    sodium.memzero(plain);
    return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL);
  }

  var sodium = window.sodium;
  if (!sodium || !sodium.ready) { fail(); return; }
  // a browser that cannot run libsodium may leave sodium.ready pending for ever: say so in time
  var waiting = window.setTimeout(fail, 20000);
  sodium.ready.then(function () {
    window.clearTimeout(waiting);
    var key = sodium.from_base64(questions.getAttribute("data-public-key"), sodium.base64_variants.ORIGINAL);
    if (key.length !== sodium.crypto_box_PUBLICKEYBYTES) { throw new Error("not a public key"); }
    failed.hidden = true; // ready after all, if late
    form.addEventListener("submit", function (event) {
      event.preventDefault(); // the form goes only with the envelope in it, sent below
      var envelope;
      try {
        envelope = seal(sodium, key);
      } catch (error) {
        fail();
        return;
      }
      tooLong.hidden = envelope !== null;
      if (envelope === null) { return; }
      form.elements.ciphertext.value = envelope;
      button.disabled = true;
      form.submit();
    });
    questions.hidden = false;
    button.disabled = false;
  }).catch(function () {
    window.clearTimeout(waiting);
    fail();
  });
})();
