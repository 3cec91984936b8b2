// Horizontal bar charts as plain SVG strings: testable without a browser, no scripts, with a
// title and a text label per bar so the numbers never depend on colour or on seeing the bars.
import { escapeHtml, Html } from "./html.ts";

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Error bars and warning bars differ in pattern as well as colour. */
  readonly kind?: "error" | "warning" | "neutral";
}

export interface BarChartOptions {
  readonly title: string;
  readonly labelWidth?: number;
  /** Show at most this many bars (largest first as given). */
  readonly max?: number;
  /** Value of a full-width bar (default: the largest value). */
  readonly scaleMax?: number;
  /** Appended to each value label, e.g. "%". */
  readonly unit?: string;
}

const WIDTH = 640;
const ROW = 22;

export function barChart(bars: readonly Bar[], options: BarChartOptions): Html {
  const labelWidth = options.labelWidth ?? 240;
  const shown = bars.slice(0, options.max ?? 15);
  const top = options.scaleMax ?? Math.max(1, ...shown.map((b) => b.value));
  const unit = options.unit ?? "";
  const plot = WIDTH - labelWidth - 60;
  const height = Math.max(1, shown.length) * ROW + 8;
  const id = `chart-${options.title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  const rows = shown.map((b, i) => {
    const y = 4 + i * ROW;
    const w = Math.max(1, Math.round((b.value / top) * plot));
    const kind = b.kind ?? "neutral";
    return (
      `<g class="bar ${kind}"><title>${escapeHtml(`${b.label}: ${b.value}${unit}`)}</title>` +
      `<text x="${labelWidth - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(b.label)}</text>` +
      `<rect x="${labelWidth}" y="${y + 3}" width="${w}" height="${ROW - 8}" fill="${kind === "error" ? `url(#${id}-err)` : kind === "warning" ? `url(#${id}-warn)` : "#4a6fa5"}"/>` +
      `<text x="${labelWidth + w + 6}" y="${y + 15}">${b.value}${escapeHtml(unit)}</text></g>`
    );
  });
  const empty = shown.length === 0 ? `<text x="8" y="18">None</text>` : "";
  return new Html(
    `<svg class="chart" role="img" aria-labelledby="${id}-t" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" xmlns="http://www.w3.org/2000/svg">` +
      `<title id="${id}-t">${escapeHtml(options.title)}</title>` +
      `<defs><pattern id="${id}-err" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#b3261e"/></pattern>` +
      `<pattern id="${id}-warn" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#c77700"/><rect width="2" height="6" fill="#f3d7a6"/></pattern></defs>` +
      `${rows.join("")}${empty}</svg>`,
  );
}
