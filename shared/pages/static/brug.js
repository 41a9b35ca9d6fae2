/* Brug: small progressive enhancement. Every page works without this file. */
(function () {
  "use strict";
  // Quick exit: replace this page in the history, so Back does not bring it back.
  var exit = document.getElementById("quick-exit");
  if (exit) {
    exit.addEventListener("click", function (event) {
      event.preventDefault();
      document.body.hidden = true;
      window.location.replace(exit.href);
    });
  }
  // Copy buttons: copy the text of the element they name.
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {
        (button.querySelector("span") || button).textContent = button.getAttribute("data-copied") || button.textContent;
      });
    });
  });
  // Share buttons: hand the link of the element they name, and nothing else (no title, no text), to
  // the phone's own share sheet (save, send to oneself). Where there is one, it stands in for the
  // copy button it names; where sharing fails, the copy button comes back.
  Array.prototype.forEach.call(document.querySelectorAll("[data-share]"), function (button) {
    var target = document.getElementById(button.getAttribute("data-share"));
    var instead = document.getElementById(button.getAttribute("data-instead-of") || "");
    if (!target || !navigator.share) { return; }
    var shared = { url: target.href };
    if (navigator.canShare && !navigator.canShare(shared)) { return; }
    button.hidden = false;
    if (instead) { instead.hidden = true; }
    button.addEventListener("click", function () {
      navigator.share(shared).catch(function (error) {
        if (error && error.name !== "AbortError" && instead && navigator.clipboard) { instead.hidden = false; }
      });
    });
  });
})();
