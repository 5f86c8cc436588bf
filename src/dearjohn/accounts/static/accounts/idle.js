// Warns before an idle staff session ends, offers to keep it, and leaves the page when it has ended.
// The server ends the session on its own (SESSION_COOKIE_AGE); this only tells the person.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.dataset.idleSeconds || "0", 10);
  var warnBefore = parseInt(body.dataset.idleWarningSeconds || "120", 10);
  if (!idle) { return; }
  var banner = null, warnTimer = null, endTimer = null, tick = null;

  function endsIn(seconds) {
    var minutes = Math.floor(seconds / 60), rest = seconds % 60;
    return minutes ? minutes + " min " + rest + " s" : rest + " s";
  }

  function hideBanner() {
    if (banner) { banner.remove(); banner = null; }
    if (tick) { clearInterval(tick); tick = null; }
  }

  function showBanner() {
    var left = warnBefore;
    banner = document.createElement("div");
    banner.className = "idle-warning";
    banner.setAttribute("role", "alertdialog");
    banner.setAttribute("aria-live", "assertive");
    var text = document.createElement("p");
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Stay signed in";
    button.addEventListener("click", function () {
      fetch(body.dataset.keepaliveUrl, {credentials: "same-origin"}).then(function (r) {
        if (r.ok && !r.redirected) { hideBanner(); schedule(); } else { leave(); }
      });
    });
    banner.appendChild(text);
    banner.appendChild(button);
    document.body.appendChild(banner);
    function update() {
      text.textContent = "You have been inactive. For security you will be signed out in " + endsIn(left) + ".";
      left -= 1;
    }
    update();
    tick = setInterval(update, 1000);
    button.focus();
  }

  function leave() {
    window.location.assign(body.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname + window.location.search));
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(showBanner, Math.max(0, idle - warnBefore) * 1000);
    endTimer = setTimeout(leave, idle * 1000 + 1000);
  }

  schedule();
})();
