// The top bar's menu groups are <details> elements and work without this
// script. It only adds what a menu is expected to do with a keyboard and a
// pointer: Escape closes the open group and returns focus to its button,
// opening one group closes the others, and a click elsewhere closes them.
(function () {
  "use strict";
  function groups() {
    return document.querySelectorAll("nav.mainnav details.navgroup");
  }
  function closeAll(except) {
    groups().forEach(function (g) {
      if (g !== except) g.open = false;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    groups().forEach(function (g) {
      g.addEventListener("toggle", function () {
        if (g.open) closeAll(g);
      });
    });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var open = document.querySelector("nav.mainnav details.navgroup[open]");
    if (!open) return;
    open.open = false;
    var summary = open.querySelector("summary");
    if (summary) summary.focus();
  });
  document.addEventListener("click", function (e) {
    if (!e.target.closest || !e.target.closest("nav.mainnav details.navgroup")) closeAll(null);
  });
})();
