/* The door: scan the QR code on an attendee's booking page with the phone's camera. The code it holds
   (only the booking code, scheduler.pages.door_code) goes into the code box and the check-in form is
   sent, exactly as if it had been typed; the answer is the same page. Without this file, a camera or
   camera permission, the box and the list of names still work, and the scan button stays hidden.
   Decoding: the browser's BarcodeDetector where it has one, else jsQR (vendored from npm,
   shared/pages/static/jsQR.js), loaded from this site only when first needed. */
(function () {
  "use strict";
  var box = document.getElementById("scan");
  var form = document.getElementById("check-in-form");
  var video = document.getElementById("scan-video");
  var start = document.getElementById("scan-start");
  var stop = document.getElementById("scan-stop");
  var status = document.getElementById("scan-status");
  if (!box || !form || !video || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
  var CODE = /[A-Z2-9]{4}-?[A-Z2-9]{4}/;
  var stream = null;
  var canvas = document.createElement("canvas");
  var sent = false;

  /* The booking code in what a QR code held, or null (a code of some other kind is not ours). */
  function bookingCode(text) {
    var found = CODE.exec(String(text || "").trim().toUpperCase());
    if (!found) { return null; }
    var raw = found[0].replace("-", "");
    return raw.slice(0, 4) + "-" + raw.slice(4);
  }

  function say(text) { status.textContent = text; }

  function loadJsQR() {
    if (window.jsQR) { return Promise.resolve(window.jsQR); }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = box.getAttribute("data-decoder");
      script.onload = function () { return window.jsQR ? resolve(window.jsQR) : reject(new Error("no jsQR")); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  /* A function from the video to the text of a QR code in it, or null. */
  function decoder() {
    if ("BarcodeDetector" in window) {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return Promise.resolve(function (source) {
        return detector.detect(source).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
      });
    }
    return loadJsQR().then(function (jsQR) {
      return function (source) {
        var width = source.videoWidth;
        var height = source.videoHeight;
        if (!width || !height) { return Promise.resolve(null); }
        canvas.width = width;
        canvas.height = height;
        var context = canvas.getContext("2d", { willReadFrequently: true });
        context.drawImage(source, 0, 0, width, height);
        var found = jsQR(context.getImageData(0, 0, width, height).data, width, height);
        return Promise.resolve(found ? found.data : null);
      };
    });
  }

  /* Read a code from the video and, when it is a booking code, check it in. True when sent. */
  function readFrom(read, source) {
    return read(source).then(function (text) {
      var code = bookingCode(text);
      if (!code || sent) { return false; }
      sent = true;
      form.elements.code.value = code;
      say(box.getAttribute("data-seen").replace("{code}", code));
      finish();
      form.submit();
      return true;
    });
  }

  function finish() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  function watch(read) {
    if (!stream || sent) { return; }
    readFrom(read, video).then(function (done) {
      if (!done) { window.setTimeout(function () { watch(read); }, 200); }
    }, function () { window.setTimeout(function () { watch(read); }, 200); });
  }

  start.addEventListener("click", function () {
    say(box.getAttribute("data-looking"));
    Promise.all([
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }),
      decoder(),
    ]).then(function (both) {
      stream = both[0];
      video.srcObject = stream;
      video.hidden = false;
      stop.hidden = false;
      start.hidden = true;
      return video.play().then(function () { watch(both[1]); });
    }).catch(function () {
      finish();
      say(box.getAttribute("data-no-camera"));
    });
  });
  stop.addEventListener("click", function () { finish(); say(""); });

  box.hidden = false;
})();
