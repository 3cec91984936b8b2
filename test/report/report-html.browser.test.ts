// report.html as a person sees it: rendered in real headless Chromium (Debian's, driven by
// playwright-core), checked for the verdict, counts and charts, screenshotted to
// test-output/report.png, and checked for accessibility basics.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runCli, tempDir } from "../helpers/cli.ts";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const outputDir = path.join(repoRoot, "test-output");

function reportFor(config: string): string {
  const state = tempDir("html");
  const run = runCli(["validate", "--config", config, "--period", "2026-10", "--json"], {
    PHIN_STATE_DIR: state,
  });
  return path.join((JSON.parse(run.stdout) as { out_dir: string }).out_dir, "report.html");
}

let browser: Browser;
beforeAll(async () => {
  if (!existsSync(executablePath)) {
    // One line, no stack: what is missing and the README's command that installs it.
    const missing = new Error(
      `Chromium not found at ${executablePath}: install it with \`sudo apt-get install -y chromium time\` (README, Start here)`,
    );
    missing.stack = missing.message;
    throw missing;
  }
  browser = await chromium.launch({
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});
afterAll(async () => {
  await browser?.close();
});

describe("report.html in Chromium", () => {
  it("shows the verdict, the counts and at least three charts, and makes no network request", async () => {
    const file = reportFor("samples/phin.config.json");
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith("file:")) requests.push(r.url());
    });
    await page.goto(`file://${file}`);
    await expect(page.getByRole("status").textContent()).resolves.toContain("READY to submit");
    const counts = page.getByRole("table", { name: "Records per dataset" });
    // The sample's own expectations (summed from its scenario table), in column order.
    const expected = JSON.parse(
      readFileSync(path.join(repoRoot, "samples/pas-csv/expected.json"), "utf8"),
    ) as { datasets: { episodes: Record<string, number> } };
    const ep = expected.datasets.episodes;
    const cells = await counts
      .getByRole("row", { name: /Episodes/ })
      .getByRole("cell")
      .allTextContents();
    expect(cells.slice(1, 5).map((c) => c.trim())).toEqual(
      [ep.read, ep.valid, ep.rejected, ep.out_of_scope].map(String),
    );
    const charts = await page.locator("svg.chart").count();
    expect(charts).toBeGreaterThanOrEqual(3);
    // Charts really drew bars (not empty boxes).
    expect(await page.locator("svg.chart rect[width]").count()).toBeGreaterThan(20);
    mkdirSync(outputDir, { recursive: true });
    await page.screenshot({ path: path.join(outputDir, "report.png"), fullPage: true });
    await page.pdf({ path: path.join(outputDir, "report.pdf"), format: "A4" });
    expect(requests).toEqual([]);
    await page.close();
  });

  it("a blocked month says why", async () => {
    const page = await browser.newPage();
    await page.goto(`file://${reportFor("samples/phin-xml.config.json")}`);
    const verdict = await page.getByRole("status").textContent();
    expect(verdict).toContain("BLOCKED");
    expect(verdict).toMatch(/above the 5\.0 % threshold/);
    await page.screenshot({ path: path.join(outputDir, "report-blocked.png") });
    await page.close();
  });

  it("meets accessibility basics: language, headings in order, table headers, titled charts, not colour alone", async () => {
    const page = await browser.newPage();
    await page.goto(`file://${reportFor("samples/phin.config.json")}`);
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.locator("h1").count()).toBe(1);
    const levels = await page
      .locator("h1, h2, h3")
      .evaluateAll((hs) => hs.map((h) => Number(h.tagName[1])));
    levels.forEach((level, i) => {
      if (i > 0) expect(level - (levels[i - 1] as number)).toBeLessThanOrEqual(1);
    });
    const tables = await page.locator("table").evaluateAll((ts) =>
      ts.map((t) => ({
        caption: t.querySelector("caption")?.textContent ?? "",
        headers: t.querySelectorAll("th[scope]").length,
      })),
    );
    for (const t of tables) {
      expect(t.caption).not.toBe("");
      expect(t.headers).toBeGreaterThan(0);
    }
    const charts = await page.locator("svg.chart").evaluateAll((svgs) =>
      svgs.map((s) => ({
        role: s.getAttribute("role"),
        title: s.querySelector("title")?.textContent ?? "",
        labelled: s.getAttribute("aria-labelledby"),
      })),
    );
    for (const c of charts) {
      expect(c.role).toBe("img");
      expect(c.title.length).toBeGreaterThan(5);
      expect(c.labelled).not.toBeNull();
    }
    // Errors and warnings differ in words and pattern, not only colour.
    const text = (await page.textContent("body")) ?? "";
    expect(text).toContain("Error (record rejected)");
    expect(text).toContain("Warning");
    expect(await page.locator("svg.chart pattern").count()).toBeGreaterThan(0);
    await page.close();
  });
});
