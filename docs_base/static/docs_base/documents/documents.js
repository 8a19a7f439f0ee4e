// Document pages: the print button (shown only when scripts run, since it needs one).
(function () {
  "use strict";
  document.querySelectorAll("[data-docs-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
