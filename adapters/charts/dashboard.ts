// The branch manager's dashboard as one PNG: ECharts renders SVG on the server (no DOM, no canvas), resvg turns
// it into a PNG with the DejaVu fonts (Kazakh letters included; system fonts are not loaded, so the picture is
// the same on every machine). Every text is passed in by the caller, so kk/ru wording stays in locales/.
// Fonts: DejaVu Sans from the npm package dejavu-fonts-ttf, cut to Latin + Cyrillic (adapters/charts/fonts,
// made by scripts/subset-chart-fonts.sh): resvg parses its fonts on every render, ~40 ms for the full files.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Resvg } from "@resvg/resvg-js";
import { BarChart, LineChart } from "echarts/charts";
import { GraphicComponent, GridComponent, LegendComponent, TitleComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import type { DashboardChart, DashboardChartInput } from "../../domain/dashboard.ts";

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TitleComponent,
  GraphicComponent,
  SVGRenderer,
]);

const require = createRequire(import.meta.url);
const SUBSET_DIR = join(dirname(fileURLToPath(import.meta.url)), "fonts");
const PACKAGE_DIR = join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
const FONT_NAMES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"];
export const CHART_FONT_FILES = FONT_NAMES.map((f) =>
  existsSync(join(SUBSET_DIR, f)) ? join(SUBSET_DIR, f) : join(PACKAGE_DIR, f),
);
const FONT = "DejaVu Sans";

export interface ChartSize {
  width: number;
  height: number;
}

/** Telegram shows photos up to 1280 px on the long side without scaling them down. */
export const DEFAULT_CHART_SIZE: ChartSize = { width: 960, height: 1280 };
/** People shown in the decisions chart (the most active first, as the caller orders them). */
export const MAX_PEOPLE = 12;

const AGE_COLORS = ["#43a047", "#9ccc65", "#fdd835", "#fb8c00", "#e53935"];
const DECISION_COLORS = ["#1e88e5", "#fb8c00", "#8e24aa"];

function option(input: DashboardChartInput, size: ChartSize): echarts.EChartsCoreOption {
  const people = input.decisions.categories.slice(0, MAX_PEOPLE);
  const W = size.width;
  // Three panels; the decisions panel grows with the number of people.
  const top = 70;
  const panelH = (size.height - top - 40) / 3;
  const y = (i: number) => top + i * panelH;
  const text = { fontFamily: FONT, color: "#212121" };
  const axisLabel = { fontFamily: FONT, fontSize: 13, color: "#424242" };
  const grid = (i: number, left: number) => ({ left, right: 30, top: y(i) + 62, height: panelH - 110 });
  const panelTitle = (i: number, t: string) => ({
    text: t,
    left: 20,
    top: y(i) + 8,
    textStyle: { ...text, fontSize: 17, fontWeight: "bold" as const },
  });
  const legend = (i: number, names: string[]) => ({
    data: names,
    left: 20,
    top: y(i) + 34,
    itemWidth: 14,
    itemHeight: 10,
    textStyle: { ...axisLabel, fontSize: 12 },
  });
  const label = { show: true, fontFamily: FONT, fontSize: 11, color: "#212121", formatter: nonZero };
  return {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: text,
    title: [
      {
        text: input.title,
        subtext: input.subtitle ?? "",
        left: 20,
        top: 10,
        textStyle: { ...text, fontSize: 22 },
      },
      panelTitle(0, input.open.title),
      panelTitle(1, input.weeks.title),
      panelTitle(2, input.decisions.title),
    ],
    legend: [
      legend(
        0,
        input.open.series.map((s) => s.name),
      ),
      legend(1, [input.weeks.overdue.name, input.weeks.newBreaches.name]),
      legend(
        2,
        input.decisions.series.map((s) => s.name),
      ),
    ],
    grid: [grid(0, 60), grid(1, 60), grid(2, Math.min(360, W * 0.38))],
    xAxis: [
      {
        gridIndex: 0,
        type: "category",
        data: input.open.categories,
        axisLabel: { ...axisLabel, interval: 0 },
      },
      {
        gridIndex: 1,
        type: "category",
        data: input.weeks.categories,
        axisLabel: { ...axisLabel, interval: 0 },
      },
      { gridIndex: 2, type: "value", minInterval: 1, axisLabel },
    ],
    yAxis: [
      { gridIndex: 0, type: "value", minInterval: 1, axisLabel },
      { gridIndex: 1, type: "value", minInterval: 1, axisLabel },
      {
        gridIndex: 2,
        type: "category",
        data: people,
        inverse: true,
        axisLabel: {
          ...axisLabel,
          width: Math.min(340, W * 0.38) - 16,
          overflow: "truncate",
          lineHeight: 16,
        },
      },
    ],
    series: [
      ...input.open.series.map((s, i) => ({
        name: s.name,
        type: "bar",
        stack: "open",
        xAxisIndex: 0,
        yAxisIndex: 0,
        barMaxWidth: 90,
        itemStyle: { color: AGE_COLORS[i % AGE_COLORS.length] },
        label,
        data: s.values,
      })),
      {
        name: input.weeks.overdue.name,
        type: "bar",
        xAxisIndex: 1,
        yAxisIndex: 1,
        barMaxWidth: 40,
        itemStyle: { color: "#ef9a9a" },
        label: { ...label, position: "top" },
        data: input.weeks.overdue.values,
      },
      {
        name: input.weeks.newBreaches.name,
        type: "line",
        xAxisIndex: 1,
        yAxisIndex: 1,
        symbolSize: 7,
        itemStyle: { color: "#b71c1c" },
        lineStyle: { width: 2 },
        data: input.weeks.newBreaches.values,
      },
      ...input.decisions.series.map((s, i) => ({
        name: s.name,
        type: "bar",
        stack: "decisions",
        xAxisIndex: 2,
        yAxisIndex: 2,
        barMaxWidth: 26,
        itemStyle: { color: DECISION_COLORS[i % DECISION_COLORS.length] },
        label,
        data: s.values.slice(0, MAX_PEOPLE),
      })),
    ],
    graphic: people.length
      ? []
      : [
          {
            type: "text",
            left: "center",
            top: y(2) + panelH / 2,
            style: { text: input.decisions.empty, fontFamily: FONT, fontSize: 16, fill: "#757575" },
          },
        ],
  };
}

function nonZero(p: { value: unknown }): string {
  return typeof p.value === "number" && p.value > 0 ? String(p.value) : "";
}

/** The dashboard as SVG text (ECharts server-side rendering; the instance is disposed). */
export function renderDashboardSvg(input: DashboardChartInput, size: ChartSize = DEFAULT_CHART_SIZE): string {
  const chart = echarts.init(null, null, {
    renderer: "svg",
    ssr: true,
    width: size.width,
    height: size.height,
  });
  try {
    chart.setOption(option(input, size));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The dashboard as a PNG for `sendPhoto`. */
export function renderDashboardPng(input: DashboardChartInput, size: ChartSize = DEFAULT_CHART_SIZE): Buffer {
  const svg = renderDashboardSvg(input, size);
  const png = new Resvg(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: CHART_FONT_FILES,
      defaultFontFamily: FONT,
      sansSerifFamily: FONT,
    },
    fitTo: { mode: "original" },
    background: "#ffffff",
  })
    .render()
    .asPng();
  return Buffer.from(png);
}

/** The DashboardChart port. */
export const dashboardChart: DashboardChart = { renderPng: (input) => renderDashboardPng(input) };
