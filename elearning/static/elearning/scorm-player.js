/* The lesson page's side of a SCORM lesson: receives the package's API calls from its
   sandboxed frame and saves them through the runtime endpoint (CSRF token, session). */
(function () {
  "use strict";
  var player = document.getElementById("scorm-player");
  if (!player) { return; }
  var frame = player.querySelector("iframe");
  var status = document.getElementById("scorm-status");
  var url = player.getAttribute("data-runtime-url");
  var token = player.getAttribute("data-csrf");
  var queue = Promise.resolve();

  function save(action, values) {
    queue = queue.then(function () {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ action: action, values: values || {} })
      }).then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) {
            status.textContent = (data.errors || []).join(" ") || status.textContent;
            return;
          }
          if (data.lesson_completed) {
            status.textContent = player.getAttribute("data-done-text") || "Module terminé.";
            player.setAttribute("data-completed", "true");
          }
        });
      }).catch(function () {
        status.textContent = player.getAttribute("data-error-text") || "Erreur d'enregistrement.";
      });
    });
  }

  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow) { return; }
    var data = event.data || {};
    if (["initialize", "commit", "finish"].indexOf(data.scorm) === -1) { return; }
    save(data.scorm, data.values);
  });
})();
