// Upload a usage events file with a progress bar. Without this script the
// form posts normally and the page shows the outcome; with it the file is sent
// in the background, the bar follows the bytes sent, and only the outcome
// region is replaced.
(function () {
  "use strict";

  function enhance(form) {
    var bar = document.getElementById(form.dataset.uploadProgress);
    var result = document.getElementById(form.dataset.uploadResult);
    if (!bar || !result || !window.FormData || !window.XMLHttpRequest) {
      return;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("X-Upload-Progress", "1");
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          bar.value = Math.round((100 * progress.loaded) / progress.total);
        }
      });
      request.upload.addEventListener("load", function () {
        // Sent: the server now reads and stores the events.
        bar.removeAttribute("value");
      });
      request.addEventListener("loadend", function () {
        bar.hidden = true;
        button.disabled = false;
        if (request.status >= 200 && request.status < 500 && request.responseText) {
          result.innerHTML = request.responseText;
        } else {
          result.textContent = "The upload failed. Try again, or split the file.";
        }
        result.focus();
      });
      bar.value = 0;
      bar.hidden = false;
      button.disabled = true;
      request.send(new FormData(form));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-upload-progress]").forEach(enhance);
  });
})();
