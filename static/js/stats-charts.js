// The charts of 统计分析 and the workbench, drawn with the vendored ECharts. Each element's
// data-tx-chart holds its categories and series with the list address of every value (no inline
// scripts: the content security policy forbids them). Clicking a bar or a point opens its list.
(function () {
  "use strict";

  const COLORS = ["#0d6efd", "#d63384", "#20c997", "#fd7e14", "#6f42c1", "#198754"];

  // Tooltips are drawn on the canvas (richText): ECharts' HTML tooltips carry style attributes,
  // which the content security policy refuses.
  function axisTooltip(unit) {
    return {
      trigger: "axis",
      renderMode: "richText",
      axisPointer: { type: "shadow" },
      valueFormatter: (v) => `${Math.abs(v)} ${unit}`,
    };
  }

  function option(data) {
    const base = {
      color: COLORS,
      aria: { enabled: true },
      animation: false,
      grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
      tooltip: axisTooltip(data.unit),
    };
    const series = data.series.map((s) => ({ name: s.name, data: s.values }));
    if (data.kind === "pyramid") {
      // Men to the left (drawn as negative values), women to the right.
      return Object.assign(base, {
        legend: { top: 0 },
        xAxis: { type: "value", axisLabel: { formatter: (v) => Math.abs(v) } },
        yAxis: { type: "category", data: data.categories, axisTick: { show: false } },
        series: series.map((s, i) => ({
          name: s.name,
          type: "bar",
          stack: "pyramid",
          barWidth: "60%",
          label: { show: true, position: i === 0 ? "left" : "right", formatter: (p) => Math.abs(p.value) },
          data: i === 0 ? s.data.map((v) => -v) : s.data,
        })),
      });
    }
    if (data.kind === "hbar") {
      return Object.assign(base, {
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: data.categories, inverse: true, axisLabel: { width: 110, overflow: "truncate" } },
        series: series.map((s) => ({ name: s.name, type: "bar", label: { show: true, position: "right" }, data: s.data })),
      });
    }
    return Object.assign(base, {
      xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: "value", minInterval: 1 },
      series: series.map((s) => ({
        name: s.name,
        type: data.kind === "line" ? "line" : "bar",
        label: { show: true, position: "top" },
        data: s.data,
      })),
    });
  }

  function draw(element) {
    const data = JSON.parse(element.dataset.txChart);
    if (data.kind === "hbar") element.style.height = `${Math.max(220, 26 * data.categories.length + 40)}px`;
    const chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option(data));
    chart.on("click", (params) => {
      const series = data.series[params.seriesIndex];
      const url = series && series.urls[params.dataIndex];
      if (url) window.location.assign(url);
    });
    element.txChart = chart;
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (typeof echarts === "undefined") return;
    const elements = document.querySelectorAll("[data-tx-chart]");
    elements.forEach(draw);
    window.addEventListener("resize", () => elements.forEach((e) => e.txChart && e.txChart.resize()));
  });

  // 数据: the chart's table instead of the chart, and back.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-tx-chart-toggle]");
    if (!button) return;
    const card = button.closest(".tx-chart-card");
    const chart = card.querySelector("[data-tx-chart]");
    const table = card.querySelector(".tx-chart-table");
    const showTable = table.classList.contains("d-none");
    table.classList.toggle("d-none", !showTable);
    chart.classList.toggle("d-none", showTable);
    button.setAttribute("aria-pressed", String(showTable));
    button.textContent = showTable ? "图表" : "数据";
    if (!showTable && chart.txChart) chart.txChart.resize();
  });
})();
