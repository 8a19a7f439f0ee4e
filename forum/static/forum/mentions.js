// Mention autocompletion (progressive enhancement: without it, members type @first-last).
// Offers only members who may read the topic: the server filters them.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-mentions-url]").forEach(function (area) {
    var list = document.createElement("ul");
    list.className = "forum-mentions fr-raw-list";
    list.id = area.id + "-mentions";
    list.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", list);
    var timer = null;

    function wordBeforeCaret() {
      var before = area.value.slice(0, area.selectionStart);
      var match = before.match(/(^|\s)@([\w.\-À-ÿ]{2,40})$/);
      return match ? match[2] : null;
    }

    function insert(handle) {
      var start = area.selectionStart;
      var before = area.value.slice(0, start).replace(/@[\w.\-À-ÿ]*$/, "@" + handle + " ");
      area.value = before + area.value.slice(start);
      area.focus();
      area.setSelectionRange(before.length, before.length);
      list.replaceChildren();
    }

    area.addEventListener("input", function () {
      clearTimeout(timer);
      var word = wordBeforeCaret();
      if (!word) { list.replaceChildren(); return; }
      timer = setTimeout(function () {
        fetch(area.dataset.mentionsUrl + "?q=" + encodeURIComponent(word), {
          credentials: "same-origin", headers: { Accept: "application/json" }
        }).then(function (r) { return r.ok ? r.json() : { members: [] }; })
          .then(function (data) {
            list.replaceChildren();
            data.members.forEach(function (member) {
              var item = document.createElement("li");
              var button = document.createElement("button");
              button.type = "button";
              button.className = "fr-btn fr-btn--tertiary fr-btn--sm";
              button.textContent = member.name + " (@" + member.handle + ")";
              button.addEventListener("click", function () { insert(member.handle); });
              item.appendChild(button);
              list.appendChild(item);
            });
          });
      }, 200);
    });
  });
})();
