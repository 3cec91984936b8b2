// report.html: one self-contained page for analysts deciding whether a month is fit to send.
// Inline CSS and SVG only: no scripts, no external links, prints on A4.
import { datasetOrder } from "../schemas/registry.ts";
import { barChart } from "./bar-chart.ts";
import { Html, html } from "./html.ts";
import type { ReportV1 } from "./report-schema.ts";

const css = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;margin:24px auto;max-width:960px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555}.verdict{padding:14px 16px;border-radius:6px;margin:16px 0;border:2px solid}
.verdict.ready{background:#e8f5e9;border-color:#2e7d32}.verdict.blocked{background:#fdecea;border-color:#b3261e}
.verdict strong{font-size:18px}table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f2f2f2}
td.n{text-align:right;font-variant-numeric:tabular-nums}.chart text{font-size:12px;fill:#1d1d1f}
code{font-size:12px}@media print{body{margin:0;max-width:none}@page{size:A4;margin:14mm}h2{break-after:avoid}table,svg{break-inside:avoid}}
`;

const datasetTitle: Record<string, string> = {
  episodes: "Episodes",
  proms: "PROMs",
  adverse_events: "Adverse events",
};

function countsTable(report: ReportV1): Html {
  const rows = datasetOrder.map((d) => {
    const s = report.datasets[d];
    return html`<tr><th scope="row">${datasetTitle[d]}</th><td>${s.status}</td><td class="n">${s.read}</td><td class="n">${s.valid}</td><td class="n">${s.rejected}</td><td class="n">${s.out_of_scope}</td><td class="n">${s.warnings}</td><td class="n">${(s.rejected_share * 100).toFixed(1)} %</td></tr>`;
  });
  return html`<table><caption>Records per dataset</caption><thead><tr><th scope="col">Dataset</th><th scope="col">Status</th><th scope="col">Read</th><th scope="col">Valid</th><th scope="col">Rejected</th><th scope="col">Out of scope</th><th scope="col">Warnings</th><th scope="col">Rejected share</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function topRules(report: ReportV1): Html {
  const rows = report.issues_by_rule.slice(0, 25).map((r) => {
    const examples = r.examples
      .map(
        (e) =>
          `${e.file}:${e.line}${e.record_id ? ` (${e.record_id})` : ""}${e.value ? ` value ${e.value}` : ""}`,
      )
      .join("; ");
    return html`<tr><td>${datasetTitle[r.dataset]}</td><td><code>${r.rule}</code></td><td>${r.severity === "E" ? "Error" : "Warning"}</td><td class="n">${r.count}</td><td>${r.title}. ${r.fix}</td><td>${examples}</td></tr>`;
  });
  return html`<table><caption>Failing rules, most frequent first</caption><thead><tr><th scope="col">Dataset</th><th scope="col">Rule</th><th scope="col">Severity</th><th scope="col">Count</th><th scope="col">What to fix</th><th scope="col">Examples (row references)</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderReportHtml(report: ReportV1): string {
  const ready = report.verdict === "ready";
  const ruleBars = report.issues_by_rule.map((r) => ({
    label: `${r.rule} (${datasetTitle[r.dataset]})`,
    value: r.count,
    kind: r.severity === "E" ? ("error" as const) : ("warning" as const),
  }));
  const fieldBars = report.issues_by_field.map((f) => ({
    label: `${f.field} (${datasetTitle[f.dataset]})`,
    value: f.count,
  }));
  const volumeBars = datasetOrder.map((d) => ({
    label: datasetTitle[d] ?? d,
    value: report.datasets[d].valid,
  }));
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PHIN data quality ${report.provider_code} ${report.period}</title><style>${new Html(css)}</style></head>
<body>
<h1>PHIN data quality report: ${report.provider_code}, ${report.period}</h1>
<p class="meta">Run ${report.run_id} at ${report.generated_at}, phin-submit ${report.tool.version}, schema v${report.schema_version}, pseudonym key ${report.pseudonym_key_id}</p>
<div class="verdict ${ready ? "ready" : "blocked"}" role="status"><strong>${ready ? "Ready to submit" : "Blocked: not fit to submit"}</strong>
${ready ? html`<p>Submission ${report.submission_id}. Rejected records are left out and listed below.</p>` : html`<ul>${report.blocked_reasons.map((r) => html`<li>${r}</li>`)}</ul>`}</div>
${report.file_errors.length === 0 ? "" : html`<h2>File errors</h2><ul>${report.file_errors.map((e) => html`<li><code>${e.code}</code> ${e.message}${e.hint ? html` <em>Next step: ${e.hint}</em>` : ""}</li>`)}</ul>`}
<h2>Counts</h2>${countsTable(report)}
<h2>Valid records per dataset</h2>${barChart(volumeBars, { title: "Valid records per dataset" })}
<h2>Issues by rule</h2>${barChart(ruleBars, { title: "Issues by rule", labelWidth: 320 })}
<h2>Issues by field</h2>${barChart(fieldBars, { title: "Issues by field", labelWidth: 320 })}
<h2>What to fix</h2>${topRules(report)}
</body></html>
`;
  return page.text;
}
