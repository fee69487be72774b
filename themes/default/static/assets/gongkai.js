/* gongkai default theme: the 关怀版 (large-text) toggle, remembered across
   pages. Loaded in <head> so the choice applies before the page paints. */
(function () {
  "use strict";
  var KEY = "gongkai-care";
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function store(on) {
    try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
  }
  function apply(on) {
    root.classList.toggle("care", on);
    var buttons = document.querySelectorAll("[data-care-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      /* The name stays 关怀版; aria-pressed says whether it is on. */
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
      buttons[i].title = on ? "再按一次恢复标准字号" : "放大字号、加大行距，便于阅读";
    }
  }

  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    apply(stored());
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-care-toggle]");
      if (!button) { return; }
      var on = !root.classList.contains("care");
      store(on);
      apply(on);
    });
  });
})();
