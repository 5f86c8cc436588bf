// Security keys: the page part that django-otp-webauthn's own scripts leave to us.
(function () {
  "use strict";
  // The package's scripts show their messages through gettext(); the site is in
  // English only, so without Django's JavaScript catalog each shows as written.
  if (typeof window.gettext !== "function") {
    window.gettext = function (text) { return text; };
  }

  // Once the browser has registered a key, send its name (security page).
  document.addEventListener("otp_webauthn.register_complete", function (event) {
    var form = document.getElementById("key-name-form");
    if (!form) return;
    form.elements.key.value = event.detail.id;
    form.submit();
  });

  // Enter in the name field adds the key rather than sending a name for no key.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id !== "key-name-form" || form.elements.key.value) return;
    event.preventDefault();
    var button = document.getElementById("passkey-register-button");
    if (button && !button.disabled) button.click();
  });
})();
