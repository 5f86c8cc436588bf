// Officer upload: sends each chosen file on its own request (so one bad file
// cannot sink the rest), shows its progress, then polls for its plate reads.
(function () {
  "use strict";
  var form = document.querySelector("form[data-upload]");
  if (!form) return;
  var results = document.querySelector("[data-results]");
  var input = form.querySelector("input[type=file]");
  // A file sent again, byte for byte: a new receipt in the chain of custody, not a second capture.
  var SAME_BYTES = "The program already had these exact bytes: it is the same capture, stored once.";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function showReads(item, url, failures) {
    failures = failures || 0;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (data) {
        var status = item.querySelector(".status");
        if (!data.done) {
          status.textContent = data.status_display + "…";
          setTimeout(function () { showReads(item, url, 0); }, 1500);
          return;
        }
        status.textContent = (data.status === "failed" ? "Could not be read: " + data.detail : "Read.") +
          (item.dataset.duplicate ? " " + SAME_BYTES : "");
        var box = el("div", "reads");
        data.reads.forEach(function (read) {
          var fig = el("figure", "read");
          if (read.crop_url) {
            var img = el("img");
            img.src = read.crop_url;
            img.alt = "Plate crop read as " + read.text;
            fig.appendChild(img);
          }
          var cap = el("figcaption");
          cap.appendChild(el("strong", "plate", read.text));
          cap.appendChild(document.createTextNode(" " + Math.round(read.confidence * 100) + "%"));
          fig.appendChild(cap);
          box.appendChild(fig);
        });
        if (!data.reads.length) box.appendChild(el("span", "empty-text", "No plate read inside an active zone."));
        if (data.outside_zones) box.appendChild(el("span", "empty-text", data.outside_zones + " read outside any active zone (not kept)."));
        item.appendChild(box);
      })
      .catch(function () {
        // A dropped connection or a busy server: keep trying for a while.
        if (failures < 20) {
          setTimeout(function () { showReads(item, url, failures + 1); }, 1500 + 500 * failures);
        } else {
          item.querySelector(".status").textContent = "Could not check the reads; see the capture page.";
        }
      });
  }

  function send(file, done) {
    var item = el("li");
    item.appendChild(el("strong", "", file.name));
    var bar = el("progress");
    bar.max = 100;
    bar.value = 0;
    item.appendChild(bar);
    var status = el("div", "status", "Uploading…");
    item.appendChild(status);
    results.appendChild(item);

    var data = new FormData(form);
    data.delete("files");
    data.append("files", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    };
    xhr.onload = function () {
      bar.remove();
      var answer;
      try { answer = JSON.parse(xhr.responseText); } catch (err) { answer = { error: "The server answered " + xhr.status + "." }; }
      var r = answer.files ? answer.files[answer.files.length - 1] : { ok: false, error: answer.error };
      if (r.ok) {
        item.className = "ok";
        if (r.duplicate) item.dataset.duplicate = "1";
        status.textContent = "Received, taken " + r.taken_at + " (" + r.taken_at_source + "). " +
          (r.duplicate ? SAME_BYTES + " " : "") + "Reading plates…";
        var link = el("a", "", "Open the capture");
        link.href = r.url;
        item.appendChild(link);
        showReads(item, r.reads_url);
      } else {
        item.className = "bad";
        status.textContent = r.error;
      }
      done();
    };
    xhr.onerror = function () {
      bar.remove();
      item.className = "bad";
      status.textContent = "The upload was interrupted; check the connection and send this file again.";
      done();
    };
    xhr.send(data);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var files = Array.prototype.slice.call(input.files);
    if (!files.length) return;
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    (function next(i) {
      if (i >= files.length) {
        button.disabled = false;
        input.value = "";
        return;
      }
      send(files[i], function () { next(i + 1); });
    })(0);
  });
})();
