// Pantau UHC: the opt-in interactive view of one chart (grafik/?c=<path of the chart>).
// The chart's Vega-Lite JSON is fetched from this site only; the path is checked first.
(function () {
  "use strict";
  var box = document.getElementById("grafik-interaktif");
  if (!box) { return; }
  var root = box.getAttribute("data-root") || "..";
  var path = new URLSearchParams(window.location.search).get("c") || "";
  var allowed = /^(wilayah\/[0-9]{2}(\.[0-9]{2})?\/)?grafik-[a-z0-9.-]+$/;
  function fail() {
    var p = document.createElement("p");
    p.className = "chart-none";
    p.textContent = box.getAttribute("data-error");
    box.appendChild(p);
  }
  if (!allowed.test(path) || path.indexOf("..") !== -1 || typeof vegaEmbed !== "function") {
    fail();
    return;
  }
  var back = document.getElementById("grafik-kembali");
  if (back) {
    var page = path.replace(/grafik-[a-z0-9.-]+$/, "");
    back.querySelector("a").setAttribute("href", root + "/" + page);
    back.hidden = false;
  }
  fetch(root + "/" + path + ".json", { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    })
    .then(function (spec) {
      var options = (spec.usermeta && spec.usermeta.embedOptions) || {};
      return vegaEmbed(box, spec, {
        renderer: "svg", actions: false, tooltip: true,
        formatLocale: options.formatLocale, timeFormatLocale: options.timeFormatLocale
      });
    })
    .catch(fail);
})();
