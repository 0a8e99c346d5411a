// Dashboard charts (Apache ECharts, served by the app). Each chart reads its specification from a
// json_script element: labels, series and, per segment, the address of the list behind it.
(function () {
  "use strict";
  function option(spec) {
    if (spec.kind === "pie") {
      return {
        tooltip: { trigger: "item" },
        legend: { bottom: 0, type: "scroll" },
        series: [{
          type: "pie", name: spec.series[0].name, radius: ["35%", "65%"],
          data: spec.labels.map(function (label, i) { return { name: label, value: spec.series[0].values[i] }; })
        }]
      };
    }
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "category", data: spec.labels, axisLabel: { interval: 0, rotate: spec.labels.length > 4 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: spec.series.map(function (s) {
        return { type: "bar", name: s.name, stack: s.stack, data: s.values };
      })
    };
  }
  function draw(el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source || !window.echarts) { return; }
    var spec = JSON.parse(source.textContent);
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(spec));
    if (spec.links && spec.links.length) {
      chart.on("click", function (params) {
        var link = spec.links[params.dataIndex];
        if (link) { window.location.assign(link); }
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function start() { document.querySelectorAll("[data-chart]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
