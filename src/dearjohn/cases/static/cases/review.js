// Review queue: keyboard shortcuts, and the next item fetched as an HTML
// fragment instead of a page reload. Without this script the form still works.
(function () {
  "use strict";
  var root = document.getElementById("review");
  if (!root) return;
  var rejecting = false;

  function form() { return root.querySelector("#decide-form"); }
  function item() { return root.querySelector(".review-item"); }

  function show(html) {
    root.innerHTML = html;
    rejecting = false;
    root.classList.remove("rejecting");
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  }

  function say(text) {
    var p = root.querySelector(".hint");
    if (!p) {
      p = document.createElement("p");
      p.className = "hint";
      p.setAttribute("role", "status");
      root.querySelector(".review-item").prepend(p);
    }
    p.textContent = text;
  }

  function submit(action) {
    var f = form();
    if (!f || f.dataset.busy) return;
    f.dataset.busy = "1";
    var data = new FormData(f);
    data.set("action", action);
    fetch(f.getAttribute("action"), { method: "POST", body: data, credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.text(); })
      .then(show)
      .catch(function () { delete f.dataset.busy; say("Could not reach the server; try again."); });
  }

  function next() {
    var current = item();
    var url = root.dataset.nextUrl + "?after=" + encodeURIComponent((current && current.dataset.cursor) || "");
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.text(); })
      .then(show);
  }

  root.addEventListener("submit", function (e) {
    e.preventDefault();
    var action = (e.submitter && e.submitter.value) || "confirm";
    submit(action);
  });

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || !form()) return;
    var target = e.target;
    var typing = target && (target.tagName === "INPUT" && target.type === "text" || target.tagName === "SELECT" || target.tagName === "TEXTAREA");
    if (typing) {
      if (e.key === "Escape") { target.blur(); e.preventDefault(); }
      else if (e.key === "Enter" && target.closest(".correction")) { e.preventDefault(); submit("correct"); }
      return;
    }
    var key = e.key.length === 1 ? e.key.toUpperCase() : e.key;
    if (rejecting) {
      var reason = form().querySelector('input[name="reason"][data-key="' + key + '"]');
      if (reason) { reason.checked = true; e.preventDefault(); submit("reject"); return; }
      if (key === "Escape") { rejecting = false; root.classList.remove("rejecting"); e.preventDefault(); }
      return;
    }
    if (/^[1-9]$/.test(key)) {
      var pick = form().querySelector('input[name="plate"][data-key="' + key + '"]');
      if (pick) { pick.checked = true; e.preventDefault(); }
    } else if (key === "Enter") {
      e.preventDefault();
      if (form().querySelector('input[name="plate"]:checked')) submit("confirm");
      else say("Pick a candidate first (1–5), or press C to type the plate.");
    } else if (key === "C") {
      e.preventDefault();
      form().querySelector('input[name="correction"]').focus();
    } else if (key === "R") {
      e.preventDefault();
      rejecting = true;
      root.classList.add("rejecting");
      say("Reject: press the reason's letter, or Esc to cancel.");
    } else if (key === "N" || key === "ArrowRight") {
      e.preventDefault();
      next();
    }
  });
})();
