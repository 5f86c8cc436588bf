// Live preview for the letter template editor: after a pause in typing, send
// the wording to the preview frame (the same as pressing Preview).
(function () {
  "use strict";
  var form = document.getElementById("template-form");
  var button = document.getElementById("preview-button");
  if (!form || !button) { return; }
  var timer = null;
  function preview() { form.requestSubmit(button); }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(preview, 900);
  });
  preview();
})();
