// Benchmark 2, detection: the page reaches the hub through a TCP proxy whose cable is pulled
// (tests/browser/tools/tcp_proxy.js 'blackhole': nothing closes, bytes vanish). 10 repetitions:
// time from the pull to the page leaving LIVE (STALE: no data for 3 intervals) and to its link
// giving up (dead-peer verdict -> RECONNECTING). The baseline page watches the same pull once for
// 60 s (VIGIL_BENCH_LONG=1: every repetition): it never notices, reported as ">60 s".
'use strict';
const L = require('./lib.js');
const { TcpProxy } = require('../browser/tools/tcp_proxy.js');

const reps = L.quick ? 2 : 10;
const capMs = 60000;
const rows = [];
const baseRows = [];
const partial = () => ({ reps, capMs, rows, baseRows, summary: summarize() });
L.deadline('detection', 15 * 60 * 1000, partial);

function summarize() {
  return {
    vigilNotLive: L.describe(rows.map((r) => r.notLiveMs)),
    vigilDown: L.describe(rows.map((r) => r.downMs)),
    vigilNotLiveStates: [...new Set(rows.map((r) => r.notLiveState))],
    baseNoticed: baseRows.filter((r) => r.downMs !== null).length,
    baseWatched: baseRows.length,
    baseDown: L.describe(baseRows.map((r) => r.downMs)),
    baseWatchMs: baseRows.map((r) => r.watchedMs),
  };
}

(async () => {
  // Both pages reach the hub through the proxy, the baseline's from another origin (its static
  // server): the hub's same-origin default would refuse them.
  const hub = await new L.Hub({ args: ['--allow-origin', '*'] }).start();
  const proxy = await new TcpProxy({ targetPort: hub.port }).start();
  const wsUrl = `ws://127.0.0.1:${proxy.port}/ws`;
  const stat = await L.staticServer(L.baselineDir);
  const browser = await L.launchBrowser();
  try {
    const vigil = await L.openPage(browser, `${hub.url}?ws=${encodeURIComponent(wsUrl)}`, 'bench-detect-vigil');
    await vigil.waitLive(60000);
    await L.installWatch(vigil.page, 'vigil');
    for (let rep = 0; rep < reps; ++rep) {
      const watchBase = rep === 0 || L.long;
      let base = null;
      if (watchBase) {
        base = await L.openPage(browser, L.baselineUrl(stat, wsUrl, `vue-detect-${rep}`), `bench-detect-base-${rep}`);
        await L.until('baseline connected with a sample', () => base.page.evaluate(() => window.baseline.samples > 0), 30000);
        await L.installWatch(base.page, 'baseline');
        await L.arm(base.page, 'notlive');
      }
      await vigil.waitFor('LIVE with fresh data', (v) => v.state === 'LIVE' && v.lastSampleAgeMs < 1500, 30000);
      await L.arm(vigil.page, 'notlive');
      const t0 = Date.now();
      proxy.setMode('blackhole');
      let wv = {};
      await L.until('vigil gave up on the link', async () => {
        wv = await L.watched(vigil.page);
        return (wv.notlive && wv.down) || Date.now() - t0 > capMs;
      }, capMs + 5000, 50);
      if (base) {
        let wb = {};
        await L.until('baseline noticed (or the cap)', async () => {
          wb = await L.watched(base.page);
          return wb.down || Date.now() - t0 > capMs;
        }, capMs + 5000, 200);
        baseRows.push({ rep, downMs: wb.down ? wb.down - t0 : null, watchedMs: Date.now() - t0 });
        console.log(`# detection baseline #${rep}: ${wb.down ? `${wb.down - t0} ms` : `>${capMs / 1000} s (never noticed)`}`);
        await base.close();
      }
      proxy.setMode('forward');
      const row = { rep, notLiveMs: wv.notlive ? wv.notlive - t0 : null, notLiveState: wv.notliveState || null,
        downMs: wv.down ? wv.down - t0 : null, downState: wv.downState || null };
      rows.push(row);
      console.log(`# detection vigil #${rep}: left LIVE after ${row.notLiveMs} ms (${row.notLiveState}), link given up after ${row.downMs} ms (${row.downState})`);
    }
    await vigil.waitLive(30000);
    await vigil.assertNotReloaded();
  } finally {
    await browser.close().catch(() => {});
    await proxy.close().catch(() => {});
    await hub.stop().catch(() => {});
    await stat.close();
  }
  L.writeResult('detection', partial());
  process.exit(0);
})().catch((e) => { console.error(e); L.writeResult('detection', { ...partial(), error: String(e.stack || e) }); process.exit(1); });
