// Benchmark 6, size: index.wasm and index.js raw and gzip (-6, and -1 as nginx's default level),
// the CJK font subset; time from navigation to the first LIVE frame (fresh browser context each
// time: nothing cached), with the milestones on the way (page parsed, wasm loop started, LIVE).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const L = require('./lib.js');

const reps = L.quick ? 2 : 7;
const result = { files: {}, boot: [] };
L.deadline('size', 4 * 60 * 1000, () => result);

function sizes(file) {
  const raw = fs.readFileSync(file);
  return { raw: raw.length, gzip6: zlib.gzipSync(raw, { level: 6 }).length, gzip1: zlib.gzipSync(raw, { level: 1 }).length,
    brotli: zlib.brotliCompressSync(raw).length };
}

(async () => {
  const site = L.env.site;
  for (const f of ['index.wasm', 'index.js', 'index.html']) result.files[f] = sizes(path.join(site, f));
  const fontDir = path.join(site, 'fonts');
  for (const f of fs.existsSync(fontDir) ? fs.readdirSync(fontDir) : []) result.files[`fonts/${f}`] = sizes(path.join(fontDir, f));
  const all = Object.values(result.files);
  result.totalRaw = all.reduce((n, s) => n + s.raw, 0);
  result.totalGzip6 = all.reduce((n, s) => n + s.gzip6, 0);

  const hub = await new L.Hub().start();
  const browser = await L.launchBrowser();
  try {
    for (let i = 0; i < reps; ++i) {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      await context.addInitScript(() => {
        const m = window.__boot = {};
        const t = setInterval(() => {
          const now = performance.now();
          let v = null;
          try { v = window.vigil; } catch { /* not yet */ }
          if (v && !m.wasm) m.wasm = now;
          if (v && v.state === 'LIVE' && v.lastSample > 0) { m.live = now; clearInterval(t); }
        }, 5);
        document.addEventListener('DOMContentLoaded', () => { m.dom = performance.now(); });
      });
      const page = await context.newPage();
      await page.goto(hub.url);
      await L.until('first LIVE', () => page.evaluate(() => window.__boot.live), 30000, 50);
      const b = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const res = (n) => { const e = performance.getEntriesByType('resource').find((r) => r.name.endsWith(n)); return e ? e.responseEnd : null; };
        return { ...window.__boot, responseEnd: nav ? nav.responseEnd : null, wasmFetched: res('index.wasm'), fontFetched: res('.otf') };
      });
      result.boot.push(b);
      console.log(`# size: navigation -> LIVE ${L.round(b.live, 0)} ms (DOM ${L.round(b.dom, 0)}, wasm fetched ${L.round(b.wasmFetched, 0)}, font ${L.round(b.fontFetched, 0)}, window.vigil ${L.round(b.wasm, 0)})`);
      await context.close();
    }
  } finally {
    await browser.close().catch(() => {});
    await hub.stop().catch(() => {});
  }
  result.toLive = L.describe(result.boot.map((b) => b.live));
  result.toWasm = L.describe(result.boot.map((b) => b.wasm));
  for (const [f, s] of Object.entries(result.files)) console.log(`# size ${f}: ${s.raw} B raw, ${s.gzip6} B gzip-6, ${s.gzip1} B gzip-1, ${s.brotli} B brotli`);
  L.writeResult('size', result);
  process.exit(0);
})().catch((e) => { console.error(e); L.writeResult('size', { ...result, error: String(e.stack || e) }); process.exit(1); });
