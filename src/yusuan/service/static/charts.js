// Charts of the government page, drawn with the ECharts shipped in /static.
// The data is computed on the server (amounts as decimal strings, in 万元).
(function () {
  "use strict";
  var node = document.getElementById("chart-data");
  if (!node || typeof echarts === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var en = document.documentElement.lang === "en";
  var L = en
    ? { rate: "Execution %", elapsed: "Time elapsed %", balance: "Balance", limit: "Limit", cur: "This year", prior: "Prior year", none: "No data", wan: "10k yuan" }
    : { rate: "完成预算%", elapsed: "序时进度%", balance: "余额", limit: "限额", cur: "本年", prior: "上年", none: "暂无数据", wan: "万元" };
  var num = function (s) { return s === null || s === undefined ? null : Number(s); };
  var scopeName = function (s) { return s === "whole" ? (en ? "" : "") : s === "own" ? (en ? " (own)" : "（本级）") : " (" + s + ")"; };
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    if (!option) { el.innerHTML = '<div class="empty">' + L.none + "</div>"; el.setAttribute("data-empty", "true"); return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    el.setAttribute("data-drawn", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  }
  var grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };
  // 1. execution progress against time elapsed
  var p = (data.progress && data.progress.items) || [];
  draw("chart-progress", p.length ? {
    tooltip: { trigger: "axis" }, legend: { data: [L.rate, L.elapsed] }, grid: grid,
    xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
    yAxis: { type: "category", inverse: true, data: p.map(function (i) { return i.name + scopeName(i.scope); }) },
    series: [
      { name: L.rate, type: "bar", data: p.map(function (i) { return num(i.rate); }), itemStyle: { color: "#2f6db3" }, label: { show: true, position: "right", formatter: "{c}%" } },
      { name: L.elapsed, type: "scatter", symbol: "rect", symbolSize: [3, 18], data: p.map(function (i) { return num(i.elapsed); }), itemStyle: { color: "#b8403a" } }
    ]
  } : null);
  // 2. composition treemap (expenditure, else revenue)
  var comp = data.composition || {};
  var side = comp.expenditure || comp.revenue;
  var toNode = function (n) { return { name: n.name, value: num(n.value), code: n.code, children: (n.children || []).map(toNode) }; };
  draw("chart-composition", side && side.tree.length ? {
    tooltip: { formatter: function (i) { return i.data.code + " " + i.name + "：" + i.value + " " + L.wan; } },
    series: [{ type: "treemap", name: (comp.expenditure ? (en ? "Expenditure" : "一般公共预算支出") : (en ? "Revenue" : "一般公共预算收入")), roam: false, nodeClick: "zoomToNode", leafDepth: 1, breadcrumb: { show: true, bottom: 0 },
      top: 8, bottom: 28, left: 0, right: 0, label: { show: true, formatter: "{b}" },
      levels: [{ itemStyle: { borderColor: "#fff", borderWidth: 2, gapWidth: 2 } }, { itemStyle: { borderColor: "#eee", gapWidth: 1 } }],
      data: side.tree.map(toNode) }]
  } : null);
  // 3. debt against limit
  var d = (data.debt && data.debt.items) || [];
  draw("chart-debt", d.length ? {
    tooltip: { trigger: "axis" }, legend: { data: [L.balance, L.limit] }, grid: grid,
    xAxis: { type: "category", data: d.map(function (i) { return i.name + scopeName(i.scope); }) },
    yAxis: { type: "value", name: L.wan },
    series: [
      { name: L.balance, type: "bar", data: d.map(function (i) { return num(i.balance); }), itemStyle: { color: "#e08a2e" } },
      { name: L.limit, type: "bar", data: d.map(function (i) { return num(i.limit); }), itemStyle: { color: "#8c8c8c" } }
    ]
  } : null);
  // 4. year over year
  var y = (data.yoy && data.yoy.items) || [];
  draw("chart-yoy", y.length ? {
    tooltip: { trigger: "axis" }, legend: { data: [L.prior, L.cur] }, grid: grid,
    xAxis: { type: "value", name: L.wan },
    yAxis: { type: "category", inverse: true, data: y.map(function (i) { return i.name + scopeName(i.scope); }) },
    series: [
      { name: L.prior, type: "bar", data: y.map(function (i) { return num(i.prior); }), itemStyle: { color: "#9fb7d6" } },
      { name: L.cur, type: "bar", data: y.map(function (i) { return num(i.current); }), itemStyle: { color: "#2f6db3" } }
    ]
  } : null);
})();
