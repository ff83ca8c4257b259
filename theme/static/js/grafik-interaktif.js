// Pantau UHC: one chart (grafik/?c=<path of the chart>), first as the static SVG drawn at build
// time; Vega (about 900 KB) is loaded only when the reader asks for the interactive version.
// The chart's files come from this site only; the path is checked first.
(function () {
  "use strict";
  var box = document.getElementById("grafik-interaktif");
  if (!box) { return; }
  var root = box.getAttribute("data-root") || "..";
  var path = new URLSearchParams(window.location.search).get("c") || "";
  var allowed = /^(wilayah\/[0-9]{2}(\.[0-9]{2})?\/)?grafik-[a-z0-9.-]+$/;
  var button = document.getElementById("grafik-muat");
  function fail() {
    var p = document.createElement("p");
    p.className = "chart-none";
    p.textContent = box.getAttribute("data-error");
    box.replaceChildren(p);
    if (button) { button.hidden = true; }
  }
  function show(element) { element.classList.remove("waiting"); }
  function fetched(suffix) {
    return fetch(root + "/" + path + suffix, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response;
      });
  }
  if (!allowed.test(path) || path.indexOf("..") !== -1) {
    fail();
    return;
  }
  var back = document.getElementById("grafik-kembali");
  if (back) {
    var page = path.replace(/grafik-[a-z0-9.-]+$/, "");
    back.querySelector("a").setAttribute("href", root + "/" + page);
    show(back);
  }
  // The static chart: the site's own checked SVG, with its title and description.
  fetched(".svg")
    .then(function (response) { return response.text(); })
    .then(function (text) {
      var svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
      if (svg.localName !== "svg" || svg.querySelector("script, foreignObject")) {
        throw new Error("not a chart");
      }
      box.replaceChildren(document.importNode(svg, true));
      if (button) { show(button); }
    })
    .catch(fail);
  function interactive() {
    var options;
    return fetched(".json")
      .then(function (response) { return response.json(); })
      .then(function (spec) {
        options = (spec.usermeta && spec.usermeta.embedOptions) || {};
        box.replaceChildren();
        return window.vegaEmbed(box, spec, {
          renderer: "svg", actions: false, tooltip: true,
          formatLocale: options.formatLocale, timeFormatLocale: options.timeFormatLocale
        });
      });
  }
  if (button) {
    button.addEventListener("click", function () {
      button.disabled = true;
      button.textContent = box.getAttribute("data-loading");
      var script = document.createElement("script");
      script.src = box.getAttribute("data-bundle");
      script.onload = function () {
        interactive().then(function () { button.hidden = true; }).catch(fail);
      };
      script.onerror = fail;
      document.head.appendChild(script);
    });
  }
})();
