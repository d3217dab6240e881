// Benchmark 4, ingest: samples per second the wasm decodes and applies to its model, for frames of
// 1, 16 and 64 hosts (real frames captured from `vigil-hub --simulate N --no-local`).
//   live:     a feeder (fake hub, tests/bench/lib.js Feeder) floods the page with frames as fast as the
//             socket drains; the page keeps rendering; frames applied per second over a window
//   wasm:     window.vigilDebug.ingest(text, count): decode + seq check + model update, off-screen,
//             no rendering, no socket
//   JSON.parse baseline: the same text `count` times through JSON.parse into a plain object store
//             (what a JS dashboard does), in the same page, same run
// host-samples/s = frames/s x hosts in the frame; values/s = x metrics.
'use strict';
const L = require('./lib.js');

const hostCounts = [1, 16, 64];
const windowMs = L.quick ? 3000 : 5000;
const rows = [];
const partial = () => ({ windowMs, rows });
L.deadline('ingest', 8 * 60 * 1000, partial);

(async () => {
  const site = await new L.Hub({ args: ['--no-local', '--simulate', '1'] }).start();  // serves the page
  const browser = await L.launchBrowser();
  try {
    for (const hosts of hostCounts) {
      const src = await new L.Hub({ args: ['--no-local', '--simulate', String(hosts)] }).start();
      const cap = await L.capture(src.wsUrl, { historyS: 0, samples: 1 });
      await src.stop();
      const template = cap.samples[0];
      const parsed = JSON.parse(template);
      const frameHosts = Object.keys(parsed.hosts).length;
      const values = Object.values(parsed.hosts).reduce((n, h) => n + Object.keys(h).length, 0);
      const feeder = await new L.Feeder({ catalog: cap.catalog, template }).start();
      const page = await L.openPage(browser, `${site.url}?debug=1&ws=${encodeURIComponent(feeder.wsUrl)}`, `bench-ingest-${hosts}`,
        { viewport: { width: 1920, height: 1080 } });
      await page.waitFor('link open', (v) => v.link === 'open', 30000);
      // Live: flood, warm up, then count frames applied over the window.
      feeder.flood(true);
      await L.hold(1500);
      const a = await page.vigil();
      const ta = Date.now();
      await L.hold(windowMs);
      const b = await page.vigil();
      const tb = Date.now();
      feeder.flood(false);
      const sec = (tb - ta) / 1000;
      const live = {
        framesPerS: (b.frames - a.frames) / sec, drawsPerS: (b.draws - a.draws) / sec, loopsPerS: (b.loops - a.loops) / sec,
        rejected: b.rejected, gaps: b.gaps, frameMsP50: b.frameMsP50, frameMsP99: b.frameMsP99,
      };
      await L.hold(500);
      // Off-screen: the wasm's own number and the JSON.parse baseline, same text, same page.
      const off = await page.page.evaluate((text) => {
        const timeIt = (fn, count) => { const t0 = performance.now(); const r = fn(count); return { ms: performance.now() - t0, r }; };
        const wasm = (count) => window.vigilDebug.ingest(text, count);
        const store = {};
        const js = (count) => {
          let n = 0;
          for (let i = 0; i < count; ++i) {
            const m = JSON.parse(text);
            if (m.type !== 'samples') continue;
            for (const h in m.hosts) store[h] = m.hosts[h];
            ++n;
          }
          return n;
        };
        const rate = (fn) => {
          let count = 20, t;
          for (;;) {  // calibrate to ~1 s, bounded
            t = timeIt(fn, count);
            if (t.ms > 300 || count >= 5e6) break;
            count *= 4;
          }
          count = Math.max(1, Math.min(5e6, Math.round(count * 1000 / Math.max(1, t.ms))));
          t = timeIt(fn, count);
          return { count, applied: t.r, ms: t.ms, perS: (t.r * 1000) / t.ms };
        };
        return { wasm: rate(wasm), json: rate(js) };
      }, template);
      const row = {
        hosts, frameHosts, values, frameBytes: template.length,
        liveFramesPerS: live.framesPerS, liveHostSamplesPerS: live.framesPerS * frameHosts, liveValuesPerS: live.framesPerS * values,
        liveDrawsPerS: live.drawsPerS, liveLoopsPerS: live.loopsPerS, liveFrameMsP50: live.frameMsP50, liveFrameMsP99: live.frameMsP99, liveRejected: live.rejected, liveGaps: live.gaps,
        wasmFramesPerS: off.wasm.perS, wasmHostSamplesPerS: off.wasm.perS * frameHosts, wasmApplied: off.wasm.applied, wasmCount: off.wasm.count,
        jsonFramesPerS: off.json.perS, jsonHostSamplesPerS: off.json.perS * frameHosts,
        ratioWasmToJson: off.wasm.perS / off.json.perS, ratioLiveToJson: live.framesPerS / off.json.perS,
      };
      rows.push(row);
      console.log(`# ingest ${hosts} hosts (${row.frameBytes} B): live ${L.round(row.liveFramesPerS, 0)} frames/s = ${L.round(row.liveHostSamplesPerS, 0)} host-samples/s ` +
        `(${L.round(live.drawsPerS, 1)} draws/s); wasm off-screen ${L.round(row.wasmFramesPerS, 0)} frames/s; JSON.parse ${L.round(row.jsonFramesPerS, 0)} frames/s; ` +
        `wasm/JSON ${L.round(row.ratioWasmToJson, 2)}`);
      await page.close();
      await feeder.close();
    }
  } finally {
    await browser.close().catch(() => {});
    await site.stop().catch(() => {});
  }
  L.writeResult('ingest', partial());
  process.exit(0);
})().catch((e) => { console.error(e); L.writeResult('ingest', { ...partial(), error: String(e.stack || e) }); process.exit(1); });
