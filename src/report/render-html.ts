// report.html: one self-contained page for analysts deciding whether a month is fit to send.
// Inline CSS and SVG only: no scripts, no external links, prints on A4. Every chart has a title
// and text labels, and errors differ from warnings by pattern and words, not colour alone.
import { datasetOrder } from "../schemas/registry.ts";
import { type Bar, barChart } from "./bar-chart.ts";
import { Html, html } from "./html.ts";
import type { ReportV1 } from "./report-schema.ts";

const css = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;margin:24px auto;max-width:980px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}
.meta{color:#555}.verdict{padding:14px 16px;border-radius:6px;margin:16px 0;border:3px solid}
.verdict.ready{background:#e8f5e9;border-color:#2e7d32}.verdict.blocked{background:#fdecea;border-color:#b3261e;border-style:double}
.verdict strong{font-size:19px}table{border-collapse:collapse;width:100%;margin:8px 0}caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f2f2f2}
td.n{text-align:right;font-variant-numeric:tabular-nums}.chart text{font-size:12px;fill:#1d1d1f}
.charts{display:grid;grid-template-columns:1fr;gap:8px}.muted{color:#666}
code{font-size:12px}@media print{body{margin:0;max-width:none}@page{size:A4;margin:14mm}h2{break-after:avoid}table,svg,.verdict{break-inside:avoid}}
`;

const datasetTitle: Record<string, string> = {
  episodes: "Episodes",
  proms: "PROMs",
  adverse_events: "Adverse events",
};
const pct = (share: number) => `${(share * 100).toFixed(1)} %`;

function countsTable(report: ReportV1): Html {
  const rows = datasetOrder.map((d) => {
    const s = report.datasets[d];
    return html`<tr><th scope="row">${datasetTitle[d]}</th><td>${s.status}</td><td class="n">${s.read}</td><td class="n">${s.valid}</td><td class="n">${s.rejected}</td><td class="n">${s.out_of_scope}</td><td class="n">${s.submitted ?? "not yet"}</td><td class="n">${s.warnings}</td><td class="n">${pct(s.rejected_share)}</td></tr>`;
  });
  return html`<table><caption>Records per dataset</caption><thead><tr><th scope="col">Dataset</th><th scope="col">Status</th><th scope="col">Read</th><th scope="col">Valid</th><th scope="col">Rejected</th><th scope="col">Out of scope (NHS)</th><th scope="col">Submitted</th><th scope="col">Warnings</th><th scope="col">Rejected share</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function fixTable(report: ReportV1): Html {
  if (report.issues_by_rule.length === 0)
    return html`<p>No issues: every record passed every rule.</p>`;
  const rows = report.issues_by_rule.slice(0, 30).map((r) => {
    const examples = r.examples.map(
      (e) =>
        html`<li><code>${e.file}:${e.line}</code>${e.record_id ? html` record <code>${e.record_id}</code>` : ""}${e.field ? html` field <code>${e.field}</code>` : ""}${e.value ? html` value <code>${e.value}</code>` : ""}</li>`,
    );
    return html`<tr><td>${datasetTitle[r.dataset]}</td><td><code>${r.rule}</code></td><td>${r.severity === "E" ? "Error (record rejected)" : "Warning"}</td><td class="n">${r.count}</td><td><strong>${r.title}.</strong> ${r.fix}</td><td><ul>${examples}</ul></td></tr>`;
  });
  return html`<table><caption>Failing rules, most frequent first, with what to fix in the source and example rows (identifiers masked)</caption><thead><tr><th scope="col">Dataset</th><th scope="col">Rule</th><th scope="col">Severity</th><th scope="col">Count</th><th scope="col">What to fix</th><th scope="col">Examples</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function completenessCharts(report: ReportV1): Html {
  return html`${datasetOrder.map((d) => {
    const entries = Object.entries(report.datasets[d].completeness);
    if (entries.length === 0) return "";
    const bars: Bar[] = entries.map(([field, share]) => ({
      label: field,
      value: Math.round(share * 100),
      kind: share < 0.95 ? "warning" : "neutral",
    }));
    return html`<h3>${datasetTitle[d]}</h3>${barChart(bars, { title: `Completeness per field, ${datasetTitle[d]} (% of in-scope records filled)`, labelWidth: 220, max: 40, scaleMax: 100, unit: "%" })}`;
  })}`;
}

function historyChart(report: ReportV1): Html {
  const bars: Bar[] = report.history.map((h) => ({
    label: `${h.period}${h.current ? " (this run)" : ""}`,
    value: h.episodes,
  }));
  const table = report.history.map(
    (h) =>
      html`<tr><th scope="row">${h.period}${h.current ? " (this run)" : ""}</th><td class="n">${h.episodes}</td><td class="n">${h.proms}</td><td class="n">${h.adverse_events}</td></tr>`,
  );
  return html`${barChart(bars, { title: "Valid episodes per month, earlier receipted months and this run" })}
<table><caption>Valid records per month</caption><thead><tr><th scope="col">Month</th><th scope="col">Episodes</th><th scope="col">PROMs</th><th scope="col">Adverse events</th></tr></thead><tbody>${table}</tbody></table>
${report.history.length < 2 ? html`<p class="muted">No earlier months in the ledger yet: the comparison grows as months are submitted.</p>` : ""}`;
}

function earlierLinks(report: ReportV1): Html {
  const { proms, adverse_events: events } = report.links_from_earlier_months;
  return html`<p>Links satisfied from earlier months: ${proms} PROMs and ${events} adverse events link to an accepted episode of an earlier submission (state store).</p>`;
}

function submissionBlock(report: ReportV1): Html {
  if (report.receipt !== null) {
    return html`<p>Submitted to PHIN as <code>${report.receipt.submission_id}</code>. Receipt <code>${report.receipt.receipt_id}</code>, received by PHIN at ${report.receipt.received_at}; signature and digests verified.</p>`;
  }
  if (report.submission_id !== null) {
    return html`<p>Ready as submission <code>${report.submission_id}</code>; not sent yet (a dry run, or the send has not completed).</p>`;
  }
  return html`<p>Nothing can be sent for this run: see the verdict.</p>`;
}

export function renderReportHtml(report: ReportV1): string {
  const ready = report.verdict === "ready";
  const ruleBars: Bar[] = report.issues_by_rule.map((r) => ({
    label: `${r.rule} (${datasetTitle[r.dataset]})${r.severity === "E" ? "" : " [W]"}`,
    value: r.count,
    kind: r.severity === "E" ? "error" : "warning",
  }));
  const fieldBars: Bar[] = report.issues_by_field.map((f) => ({
    label: `${f.field} (${datasetTitle[f.dataset]})`,
    value: f.count,
  }));
  const volumeBars: Bar[] = datasetOrder.map((d) => ({
    label: datasetTitle[d] ?? d,
    value: report.datasets[d].valid,
  }));
  const blankBySite = Object.entries(report.nhs_number_blank_by_site);
  const dropped = datasetOrder.filter((d) => report.datasets[d].dropped_columns.length > 0);
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>PHIN data quality ${report.provider_code} ${report.period}</title><style>${new Html(css)}</style></head>
<body>
<header><h1>PHIN data quality report: ${report.provider_code}, ${report.period}</h1>
<p class="meta">Run ${report.run_id} at ${report.generated_at} (run date ${report.run_date}); phin-submit ${report.tool.version}; schema v${report.schema_version}; pseudonym key ${report.pseudonym_key_id}</p></header>
<main>
<section aria-labelledby="verdict-h"><h2 id="verdict-h">Verdict</h2>
<div class="verdict ${ready ? "ready" : "blocked"}" role="status"><strong>${ready ? "✔ READY to submit" : "✖ BLOCKED: not fit to submit"}</strong>
${ready ? html`<p>Rejected records are left out of the submission and listed below; the rest can be sent.</p>` : html`<p>Nothing will be sent until these are fixed:</p><ul>${report.blocked_reasons.map((r) => html`<li>${r}</li>`)}</ul>`}
${submissionBlock(report)}</div></section>
${report.file_errors.length === 0 ? "" : html`<section aria-labelledby="files-h"><h2 id="files-h">File errors</h2><ul>${report.file_errors.map((e) => html`<li><code>${e.code}</code> ${e.message}${e.hint ? html` <em>Next step: ${e.hint}</em>` : ""}</li>`)}</ul></section>`}
<section aria-labelledby="counts-h"><h2 id="counts-h">Counts</h2>${countsTable(report)}
<div class="charts">${barChart(volumeBars, { title: "Valid records per dataset" })}</div>
${earlierLinks(report)}
<p class="muted">Out of scope: NHS-funded episodes (funding source NHS or administrative category 01) and the PROMs and events linked to them. They are counted, never sent.</p></section>
<section aria-labelledby="rules-h"><h2 id="rules-h">Issues by rule</h2><div class="charts">${barChart(ruleBars, { title: "Issues by rule (errors solid, warnings striped and marked [W])", labelWidth: 360 })}</div></section>
<section aria-labelledby="fields-h"><h2 id="fields-h">Issues by field</h2><div class="charts">${barChart(fieldBars, { title: "Issues by field", labelWidth: 360 })}</div></section>
<section aria-labelledby="fix-h"><h2 id="fix-h">What to fix</h2>${fixTable(report)}</section>
<section aria-labelledby="complete-h"><h2 id="complete-h">Completeness per field</h2><p class="muted">Share of in-scope records where the field is filled; below 95 % striped.</p>${completenessCharts(report)}</section>
<section aria-labelledby="history-h"><h2 id="history-h">Volumes against previous months</h2>${historyChart(report)}</section>
${blankBySite.length === 0 ? "" : html`<section aria-labelledby="nhs-h"><h2 id="nhs-h">Blank NHS numbers by site</h2><table><caption>In-scope episodes without an NHS number (PHIN relies on it for linkage)</caption><thead><tr><th scope="col">Site</th><th scope="col">Episodes</th></tr></thead><tbody>${blankBySite.map(([site, n]) => html`<tr><th scope="row">${site}</th><td class="n">${n}</td></tr>`)}</tbody></table></section>`}
${dropped.length === 0 ? "" : html`<section aria-labelledby="dropped-h"><h2 id="dropped-h">Columns left behind</h2><p>These source columns are read by no mapping, so their contents never left the extract stage (names only):</p><ul>${dropped.map((d) => html`<li>${datasetTitle[d]}: ${report.datasets[d].dropped_columns.join(", ")}</li>`)}</ul></section>`}
</main>
</body></html>
`;
  return page.text;
}
