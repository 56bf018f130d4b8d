/* «Наставник»: the embeddable block for a school's own website.
   <div data-nastavnik-widget></div><script src=".../embed.js" data-src=".../p/<slug>/embed/" async></script>
   Puts a responsive iframe into the div (or after the script) and follows its height. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var src = script.getAttribute("data-src");
  if (!src) { return; }
  var origin = new URL(src, window.location.href).origin;
  var frame = document.createElement("iframe");
  frame.src = src;
  frame.title = script.getAttribute("data-title") || "Наставничество: новости и мероприятия";
  frame.loading = "lazy";
  frame.style.cssText = "width:100%;min-height:200px;border:0;display:block";
  var holder = document.querySelector("[data-nastavnik-widget]:not([data-nastavnik-ready])");
  if (holder) {
    holder.setAttribute("data-nastavnik-ready", "1");
    holder.appendChild(frame);
  } else {
    script.parentNode.insertBefore(frame, script.nextSibling);
  }
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) { return; }
    var height = event.data && event.data.nastavnikHeight;
    if (typeof height === "number" && height > 0 && height < 20000) {
      frame.style.height = Math.ceil(height) + "px";
    }
  });
})();
