// Benchmark 7, memory: a compressed soak. A feeder floods the page with 1-host samples frames (real
// ones from `vigil-hub --simulate 1`, seq and t rewritten; a 320x200 page: on this machine's software
// GL the page ingests ~0.5 k 16-host frames/s at 720p, too slow for 1 M in minutes); at 10 k, 100 k, 250 k, 500 k and 1 M
// messages it pauses, and we read the wasm heap (window.vigil.heapBytes) and the JS heap after a
// forced GC (CDP Runtime.getHeapUsage). Once the rings are full (600 points per series after 600
// frames) both must stay flat: the slope from 100 k to the last checkpoint is printed (bytes per
// 1 k messages). Bounded: 6 min of flooding at most; a checkpoint not reached is reported as such.
'use strict';
const L = require('./lib.js');

const checkpoints = L.quick ? [10000, 50000] : [10000, 100000, 250000, 500000, 1000000];
const floodBudgetMs = 5 * 60 * 1000;
const points = [];
const result = { hosts: 1, viewport: '320x200', checkpoints, points };
L.deadline('memory', 9 * 60 * 1000, () => result);

(async () => {
  const src = await new L.Hub({ args: ['--no-local', '--simulate', '1'] }).start();
  const cap = await L.capture(src.wsUrl, { historyS: 0, samples: 1 });
  const feeder = await new L.Feeder({ catalog: cap.catalog, template: cap.samples[0] }).start();
  const browser = await L.launchBrowser();
  const t0 = Date.now();
  try {
    const page = await L.openPage(browser, `${src.url}?ws=${encodeURIComponent(feeder.wsUrl)}`, 'bench-memory', { viewport: { width: 320, height: 200 } });
    await page.waitFor('link open', (v) => v.link === 'open', 30000);
    const c = await L.cdp(page.page);
    const read = async (label) => {
      await L.hold(1000);
      const jsHeap = await c.gcHeap();
      const v = await page.vigil();
      const p = { label, messages: v.messages, frames: v.frames, heapBytes: v.heapBytes, heapUsedBytes: v.heapUsedBytes ?? null, jsHeapBytes: jsHeap, state: v.state,
        rejected: v.rejected, elapsedS: L.round((Date.now() - t0) / 1000, 1) };
      points.push(p);
      console.log(`# memory @${label}: wasm heap ${(p.heapBytes / 2 ** 20).toFixed(1)} MiB (in use ${p.heapUsedBytes === null ? '?' : (p.heapUsedBytes / 2 ** 20).toFixed(2)} MiB), JS heap ${(p.jsHeapBytes / 2 ** 20).toFixed(2)} MiB, frames ${p.frames}, ${p.elapsedS} s`);
      return p;
    };
    await read('start');
    for (const cp of checkpoints) {
      feeder.limit = cp;
      feeder.flood(true);
      const ok = await L.until(`${cp} frames applied`, async () => (await page.vigil()).frames >= cp || Date.now() - t0 > floodBudgetMs, floodBudgetMs + 30000, 500);
      feeder.flood(false);
      const v = await page.vigil();
      await read(v.frames >= cp ? String(cp) : `${v.frames} (budget spent before ${cp})`);
      if (v.frames < cp) break;
      void ok;
    }
    await c.detach();
  } finally {
    await browser.close().catch(() => {});
    await feeder.close();
    await src.stop().catch(() => {});
  }
  const from = points.find((p) => p.frames >= 100000) || points[1];
  const to = points[points.length - 1];
  if (from && to && to.frames > from.frames) {
    const k = (to.frames - from.frames) / 1000;
    result.slope = { fromFrames: from.frames, toFrames: to.frames, wasmBytesPer1k: (to.heapBytes - from.heapBytes) / k, wasmUsedBytesPer1k: to.heapUsedBytes === null ? null : (to.heapUsedBytes - from.heapUsedBytes) / k, jsBytesPer1k: (to.jsHeapBytes - from.jsHeapBytes) / k };
    console.log(`# memory slope ${from.frames}..${to.frames}: wasm heap ${L.round(result.slope.wasmBytesPer1k, 1)} B / 1k msgs, in use ${L.round(result.slope.wasmUsedBytesPer1k, 1)} B / 1k msgs, JS ${L.round(result.slope.jsBytesPer1k, 1)} B / 1k msgs`);
  }
  result.note = 'heapBytes is HEAPU8.length (the wasm memory size, which only grows); heapUsedBytes is what the allocator holds';
  L.writeResult('memory', result);
  process.exit(0);
})().catch((e) => { console.error(e); L.writeResult('memory', { ...result, error: String(e.stack || e) }); process.exit(1); });
