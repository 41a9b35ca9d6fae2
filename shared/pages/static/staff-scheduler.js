/* The scheduler's staff pages: live clash warnings on the plan form. The form works without this file:
   its "Check for clashes" button shows the same warnings after a round trip. */
(function () {
  "use strict";
  var form = document.getElementById("plan-form");
  var box = document.getElementById("live-check");
  if (!form || !box || !window.fetch || !window.FormData) { return; }
  var timer = null;
  var asked = 0;

  function line(tag, text, className) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (className) { element.className = className; }
    return element;
  }

  function show(answer) {
    box.textContent = "";
    box.className = "live-check";
    if (answer.refused) {
      box.appendChild(line("p", answer.refused));
      box.classList.add("bad");
    } else if (answer.problems.length) {
      var list = line("ul", "", "problems");
      answer.problems.forEach(function (problem) {
        var item = line("li", "", "problem");
        item.appendChild(line("strong", problem.heading));
        item.appendChild(document.createTextNode(" " + problem.detail));
        list.appendChild(item);
      });
      box.appendChild(list);
      box.classList.add("bad");
    } else if (answer.ok) {
      box.appendChild(line("p", answer.ok));
      box.classList.add("ok");
    }
    box.hidden = !box.firstChild;
  }

  function check() {
    var body = new FormData(form);
    if (!body.get("room_id") || !body.get("day") || !body.get("starts") || !body.get("ends")) { return; }
    var mine = ++asked;
    fetch(form.getAttribute("data-check"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) { if (answer && mine === asked) { show(answer); } })
      .catch(function () { /* the check button still works */ });
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 400);
  }

  form.addEventListener("change", soon);
  form.addEventListener("input", function (event) {
    if (event.target && /^(day|starts|ends|capacity)$/.test(event.target.name)) { soon(); }
  });
})();
