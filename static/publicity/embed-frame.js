/* Inside the embedded block: tell the parent page our height whenever it changes. */
(function () {
  "use strict";
  if (window.parent === window) { return; }
  function send() {
    window.parent.postMessage({ nastavnikHeight: document.documentElement.scrollHeight }, "*");
  }
  window.addEventListener("load", send);
  window.addEventListener("resize", send);
  if (window.ResizeObserver) { new ResizeObserver(send).observe(document.body); }
})();
