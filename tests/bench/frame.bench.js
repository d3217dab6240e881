// Benchmark 5, frame time: CPU time per drawn frame (window.vigil.frameMsP50/P99: emscripten_get_now
// around draw(), the last 256 draws) for 16, 64 and 256 hosts with full history, on a 1920x1080 page.
// Full history at once: tests/bench's vigil-journal-bench `fill` writes 600 frames of the hub's own
// simulated fleet stamped 1 s apart up to now; `vigil-hub --simulate N --no-local` started on that
// journal backfills the page's 600 s window (config history_s) and continues live at 1 Hz.
//   steady CPU: CDP Performance TaskDuration delta over the window, % of one core, data at 1 Hz
//   idle CPU:   the same page content with no data changes: a feeder replays the same welcome,
//               catalog and 600-frame backfill, then sends nothing (answers pings): the page shows
//               STALE and only its clock ticks
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const L = require('./lib.js');

const tools = process.env.VIGIL_BENCH_TOOLS || path.join(L.root, 'build/bench');
const sizes = [16, 64, 256];
const windowMs = L.quick ? 5000 : 12000;
const rows = [];
const partial = () => ({ windowMs, rows });
L.deadline('frame', 10 * 60 * 1000, partial);

(async () => {
  const browser = await L.launchBrowser();
  try {
    for (const n of sizes) {
      const dir = L.tmpDir('vigil-bench-frame-');
      const fill = JSON.parse(execFileSync(path.join(tools, 'vigil-journal-bench'), ['fill', '--dir', path.join(dir, 'j'), '--hosts', String(n), '--frames', '600']).toString());
      const hub = await new L.Hub({ journal: path.join(dir, 'j'), args: ['--no-local', '--simulate', String(n)] }).start();
      const row = { hosts: n, journalBytes: fill.bytes };
      try {
        const page = await L.openPage(browser, hub.url, `bench-frame-${n}`, { viewport: { width: 1920, height: 1080 } });
        const t0 = Date.now();
        await page.waitFor('LIVE with the backfilled history', (v) => v.state === 'LIVE' && v.hosts >= n && v.replayed >= 590, 60000);
        row.backfillToLiveMs = Date.now() - t0;
        // Let the draws of the backfill leave the 256-draw ring: run until 256 more draws (bounded).
        const d0 = (await page.vigil()).draws;
        await L.until('256 steady draws', async () => (await page.vigil()).draws - d0 >= 256, 25000, 500).catch(() => {});
        const w = await L.taskWindow(page, windowMs);
        Object.assign(row, { frameMsP50: w.v.frameMsP50, frameMsP99: w.v.frameMsP99, steadyCpuPct: w.cpuPct, steadyScriptPct: w.scriptPct,
          drawsPerS: w.drawsPerS, loopsPerS: w.loopsPerS, heapBytes: w.v.heapBytes, replayed: w.v.replayed, state: w.v.state, pages: w.v.pages });
        // Idle: the same content, nothing new.
        const cap = await L.capture(hub.wsUrl, { historyS: 600, samples: 0 });
        await page.close();
        const feeder = await new L.Feeder({ catalog: cap.catalog, script: cap.backfill }).start();
        const idle = await L.openPage(browser, `${hub.url}?ws=${encodeURIComponent(feeder.wsUrl)}`, `bench-frame-idle-${n}`, { viewport: { width: 1920, height: 1080 } });
        await idle.waitFor('the backfill applied', (v) => v.link === 'open' && v.frames >= cap.backfill.length - 1, 60000);
        await L.hold(5000);  // past LIVE -> STALE
        const wi = await L.taskWindow(idle, windowMs);
        Object.assign(row, { idleCpuPct: wi.cpuPct, idleDrawsPerS: wi.drawsPerS, idleState: wi.v.state, idleFrameMsP50: wi.v.frameMsP50 });
        await idle.close();
        await feeder.close();
      } catch (e) {
        row.error = String(e.message || e);
      } finally {
        await hub.stop().catch(() => {});
        fs.rmSync(dir, { recursive: true, force: true });
      }
      rows.push(row);
      console.log(`# frame ${n} hosts: p50 ${L.round(row.frameMsP50, 2)} ms, p99 ${L.round(row.frameMsP99, 2)} ms, ${L.round(row.drawsPerS, 1)} draws/s, ` +
        `steady CPU ${L.round(row.steadyCpuPct, 1)} %, idle CPU ${L.round(row.idleCpuPct, 1)} % (${row.idleState}), backfill->LIVE ${row.backfillToLiveMs} ms${row.error ? ` ERROR ${row.error}` : ''}`);
    }
  } finally {
    await browser.close().catch(() => {});
  }
  L.writeResult('frame', partial());
  process.exit(0);
})().catch((e) => { console.error(e); L.writeResult('frame', { ...partial(), error: String(e.stack || e) }); process.exit(1); });
