// Lighthouse (mobile profile, its default) on each URL given, in one Chromium for all of them.
// Usage: node scripts/lighthouse.mjs URL... > scores.json
// Prints [{url, scores: {performance, accessibility, "best-practices", seo} (0-100), failed:
// {category: [audit titles scored below 1]}}]; the browser is CHROME_PATH (Debian's chromium).
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const urls = process.argv.slice(2);
if (urls.length === 0) {
  console.error("usage: node scripts/lighthouse.mjs URL...");
  process.exit(2);
}

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  logLevel: "silent",
});

const results = [];
try {
  for (const url of urls) {
    const run = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: CATEGORIES,
    });
    const lhr = run.lhr;
    const scores = {};
    const failed = {};
    for (const name of CATEGORIES) {
      const category = lhr.categories[name];
      scores[name] = category.score === null ? null : Math.round(category.score * 100);
      failed[name] = category.auditRefs
        .filter((ref) => ref.weight > 0)
        .map((ref) => lhr.audits[ref.id])
        .filter((audit) => audit.score !== null && audit.score < 1)
        .map((audit) => `${audit.id}: ${audit.title} (${audit.displayValue || audit.score})`);
    }
    const problems = lhr.runtimeError ? [lhr.runtimeError.message] : [];
    results.push({ url, scores, failed, problems, lighthouse: lhr.lighthouseVersion });
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(results, null, 2) + "\n");
