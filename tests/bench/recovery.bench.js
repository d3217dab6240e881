// Benchmark 1, recovery: the hub is killed (SIGKILL) and, separately, stopped (SIGTERM) for outages
// of 1, 3 and 10 s, 10 repetitions each. For the Vigil page and, in the same cycles against the same
// hub, the baseline "Vue approach" page: time from the hub listening again to
//   live: the page shows LIVE on a new connection (baseline: isConnect on a new connection)
//   data: ...and a samples frame arrived on it
// and samples missing (Vigil: window.vigil.missing; baseline: seqs it never got).
'use strict';
const L = require('./lib.js');

const reps = L.quick ? 2 : 10;
const outages = [1, 3, 10];
const modes = [['kill', 'SIGKILL'], ['term', 'SIGTERM']];
const rows = [];
const partial = () => ({ reps, rows, summary: summarize() });
L.deadline('recovery', 20 * 60 * 1000, partial);

function summarize() {
  const out = {};
  for (const [mode] of modes) for (const o of outages) {
    const rs = rows.filter((r) => r.mode === mode && r.outageS === o);
    if (!rs.length) continue;
    const d = (k) => L.describe(rs.map((r) => r[k]));
    out[`${mode}_${o}s`] = {
      n: rs.length,
      vigilLive: d('vigilLiveMs'), vigilData: d('vigilDataMs'), baseLive: d('baseLiveMs'), baseData: d('baseDataMs'),
      vigilMissing: rs.reduce((n, r) => n + r.vigilMissing, 0), baseMissing: rs.reduce((n, r) => n + r.baseMissing, 0),
      vigilTimeouts: rs.filter((r) => r.vigilLiveMs === null).length, baseTimeouts: rs.filter((r) => r.baseLiveMs === null).length,
    };
  }
  return out;
}

(async () => {
  // The baseline page comes from its own static server (another origin): --allow-origin '*'.
  const hub = await new L.Hub({ args: ['--max-clients', '64', '--allow-origin', '*'] }).start();
  const stat = await L.staticServer(L.baselineDir);
  const browser = await L.launchBrowser();
  try {
    const vigil = await L.openPage(browser, hub.url, 'bench-recovery-vigil');
    const base = await L.openPage(browser, L.baselineUrl(stat, hub.wsUrl, 'vue-recovery'), 'bench-recovery-base');
    await vigil.waitLive(60000);
    await L.until('baseline connected with a sample', () => base.page.evaluate(() => window.baseline.samples > 0), 30000);
    await L.installWatch(vigil.page, 'vigil');
    await L.installWatch(base.page, 'baseline');
    for (const [mode, signal] of modes) {
      for (const outageS of outages) {
        for (let rep = 0; rep < reps; ++rep) {
          // Both steady: LIVE with a frame within the last 2 intervals.
          await vigil.waitFor('LIVE', (v) => v.state === 'LIVE' && v.lastSampleAgeMs !== null && v.lastSampleAgeMs < 2000, 30000);
          await L.until('baseline connected', () => base.page.evaluate(() => window.baseline.isConnect && Date.now() - window.baseline.lastSampleWall < 2000), 30000);
          const v0 = await vigil.vigil();
          const b0 = await base.page.evaluate(() => window.baseline);
          await L.arm(vigil.page, 'live');
          await L.arm(base.page, 'live');
          const tDown = Date.now();
          await hub.kill(signal);
          await L.hold(Math.max(0, outageS * 1000 - (Date.now() - tDown)));
          await hub.start();
          const tListen = Date.now();
          // Bounded: the baseline needs <= 5 s + a tick after the hub is back; Vigil far less.
          const deadlineMs = 20000;
          let wv = {}, wb = {};
          await L.until('both live again', async () => {
            wv = await L.watched(vigil.page);
            wb = await L.watched(base.page);
            return (wv.live && wv.data && wb.live && wb.data) || Date.now() - tListen > deadlineMs;
          }, deadlineMs + 5000, 100);
          // The seq accounting settles once a frame has arrived on the new connection.
          const v1 = await vigil.vigil();
          const b1 = await base.page.evaluate(() => window.baseline);
          const row = {
            mode, outageS, rep,
            vigilLiveMs: wv.live ? wv.live - tListen : null, vigilDataMs: wv.data ? wv.data - tListen : null,
            baseLiveMs: wb.live ? wb.live - tListen : null, baseDataMs: wb.data ? wb.data - tListen : null,
            vigilMissing: v1.missing - v0.missing, baseMissing: b1.missing - b0.missing,
            vigilSkippedByHub: hub.skippedIn(v0.seq || 0, v1.seq || 0),
          };
          rows.push(row);
          console.log(`# recovery ${mode} ${outageS}s #${rep}: vigil live ${row.vigilLiveMs} data ${row.vigilDataMs} missing ${row.vigilMissing}` +
            ` | baseline live ${row.baseLiveMs} data ${row.baseDataMs} missing ${row.baseMissing}`);
        }
      }
    }
    await vigil.assertNotReloaded();
  } finally {
    await browser.close().catch(() => {});
    await hub.stop().catch(() => {});
    await stat.close();
  }
  L.writeResult('recovery', partial());
  process.exit(0);
})().catch((e) => { console.error(e); L.writeResult('recovery', { ...partial(), error: String(e.stack || e) }); process.exit(1); });
