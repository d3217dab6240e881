// Soak (VIGIL_LONG=1 only; skipped otherwise, costs nothing in CI): one page for an hour
// (VIGIL_SOAK_S, VIGIL_SOAK_RESTART_S to change) against a hub that is restarted every 5 minutes, alternately gracefully
// and with kill -9. Every 10 s: the page is LIVE or recovering, one socket at most, timers not
// piling up, heap bounded, never reloaded. At the end: every journaled frame applied once.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launchBrowser, until, hold, summary, long, Hub, openPage, withArtifacts } = require('./lib/harness');

const SOAK_S = Number(process.env.VIGIL_SOAK_S || 3600);
const RESTART_EVERY_S = Number(process.env.VIGIL_SOAK_RESTART_S || 300);

test(`soak: ${SOAK_S} s with a restart every ${RESTART_EVERY_S} s`, { skip: long ? false : 'VIGIL_LONG=1 only', timeout: (SOAK_S + 600) * 1000 }, async () => {
  const hub = await new Hub().start();
  const browser = await launchBrowser();
  const p = await openPage(browser, hub.url, 'soak');
  try {
    await withArtifacts([p], async () => {
      const start = await p.waitLive();
      const t0 = Date.now();
      let restarts = 0, maxTimers = 0, maxHeap = start.heapBytes, notLiveSamples = 0, samples = 0;
      const usedAt = [];  // heapUsedBytes (malloc in use) per sample, where the page reports it
      let nextRestart = t0 + RESTART_EVERY_S * 1000;
      while (Date.now() - t0 < SOAK_S * 1000) {
        await hold(10000);  // the scenario: time passing
        const v = await p.vigil();
        ++samples;
        if (v.state !== 'LIVE') ++notLiveSamples;
        maxTimers = Math.max(maxTimers, v.pendingTimers);
        maxHeap = Math.max(maxHeap, v.heapBytes);
        if (v.heapUsedBytes !== undefined) usedAt.push(v.heapUsedBytes);
        assert.ok(v.liveSockets <= 1, `${v.liveSockets} sockets`);
        assert.ok(v.pendingTimers <= 16, `${v.pendingTimers} timers pending`);
        if (Date.now() >= nextRestart) {
          await hub.restart(restarts % 2 ? 'SIGKILL' : 'SIGTERM');
          ++restarts;
          nextRestart += RESTART_EVERY_S * 1000;
        }
      }
      const end = await until('LIVE and caught up', async () => {
        const [h, v] = await Promise.all([hub.healthz(), p.vigil()]);
        return v.state === 'LIVE' && v.seq >= h.head && v;
      }, 30000, 200);
      const skipped = hub.skippedIn(start.seq, end.seq);
      assert.equal(end.frames - start.frames, end.seq - start.seq - skipped, 'every journaled frame applied once');
      assert.equal(end.missing - start.missing, skipped);
      assert.ok(maxHeap <= start.heapBytes + 16 * 2 ** 20, `heap ${start.heapBytes} -> max ${maxHeap}`);
      // A leak shows as heap in use still rising in the second half of the soak.
      if (usedAt.length >= 4) {
        const half = usedAt.slice(Math.floor(usedAt.length / 2));
        assert.ok(half[half.length - 1] - half[0] <= 1 * 2 ** 20, `heap in use grew ${half[half.length - 1] - half[0]} bytes over the second half`);
      }
      await p.assertNotReloaded();
      summary('soak', { heap_used_mib: usedAt.length ? `${(usedAt[0] / 2 ** 20).toFixed(1)}->${(usedAt[usedAt.length - 1] / 2 ** 20).toFixed(1)}` : 'n/a', seconds: SOAK_S, restarts, samples, not_live_samples: notLiveSamples, max_timers: maxTimers,
        heap_mib: `${(start.heapBytes / 2 ** 20).toFixed(0)}->${(maxHeap / 2 ** 20).toFixed(0)}`, frames: end.frames - start.frames });
    });
  } finally {
    await p.close();
    await browser.close();
    await hub.kill();
  }
});
