// 50 consecutive mixed restarts (graceful SIGTERM or kill -9, seeded), the hub down 0-1.5 s each
// time and up for a random while (sometimes until every page is back, sometimes cut short while
// pages are still reconnecting), with 4 pages open. At the end: every journaled frame reached every
// page exactly once (seq accounting against the hub's skipped ranges, see restart.test.js), no
// hub incarnation ever saw two sockets of one page, no page reloaded, heaps bounded.
// VIGIL_LONG=1: 500 restarts. VIGIL_SEED=<n> replays another sequence.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launchBrowser, until, hold, summary, long, Hub, openPage, withArtifacts } = require('./lib/harness');

function mulberry32(seed) {
  return function () {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RESTARTS = long ? 500 : 50;
const SEED = Number(process.env.VIGIL_SEED || 6);
const PAGES = 4;

test(`${RESTARTS} mixed restarts with ${PAGES} pages: no journaled frame missing, no duplicate socket, no reload, bounded heap`, { timeout: long ? 3 * 3600e3 : 280e3 }, async () => {
  // A 500 ms hint (default 1500) keeps the graceful cycles short; the spread rule is the same.
  const hub = await new Hub({ args: ['--retry-hint-ms', '500'] }).start();
  const browser = await launchBrowser();
  const pages = [];
  const rand = mulberry32(SEED);
  try {
    for (let i = 0; i < PAGES; ++i) pages.push(await openPage(browser, hub.url, `many-restarts-${i}`));
    await withArtifacts(pages, async () => {
      const start = [];
      for (const p of pages) start.push(await p.waitLive());
      const t0 = Date.now();
      let kills = 0, terms = 0, maxDup = 0, healthzMissed = 0, waitedLive = 0;
      for (let i = 0; i < RESTARTS; ++i) {
        // Before each stop: this incarnation never held two sockets for one page.
        try {
          const h = await hub.healthz();
          maxDup = Math.max(maxDup, h.max_concurrent_per_client);
          assert.ok(h.max_concurrent_per_client <= 1, `restart ${i}: a page held ${h.max_concurrent_per_client} sockets at once: ${JSON.stringify(h.per_client)}`);
        } catch (e) {
          if (e.code === 'ERR_ASSERTION') throw e;
          ++healthzMissed;
        }
        const crash = rand() < 0.5;
        if (crash) { ++kills; await hub.kill('SIGKILL'); } else { ++terms; await hub.stop(); }
        await hold(Math.floor(rand() * 1500));  // the scenario: down 0-1.5 s
        await hub.start();
        if (rand() < 0.5) {
          // Up until every page is LIVE on this incarnation...
          ++waitedLive;
          await until(`restart ${i}: every page LIVE`, async () => {
            const h = await hub.healthz();
            const vs = await Promise.all(pages.map((p) => p.vigil()));
            return h.clients === PAGES && vs.every((v) => v.state === 'LIVE');
          }, 15000, 100);
        } else {
          // ...or cut short at a random moment: pages in the middle of a retry or a replay.
          await hold(200 + Math.floor(rand() * 1800));
        }
      }
      const restartsMs = Date.now() - t0;

      // Settle: everyone LIVE and caught up with the hub's head.
      const end = [];
      for (const p of pages) {
        end.push(await until(`${p.name}: LIVE and caught up`, async () => {
          const [h, v] = await Promise.all([hub.healthz(), p.vigil()]);
          return v.state === 'LIVE' && v.seq >= h.head && v;
        }, 20000, 100));
      }
      const h = await hub.healthz();
      assert.ok(h.max_concurrent_per_client <= 1, `final incarnation: ${JSON.stringify(h.per_client)}`);
      assert.equal(h.clients, PAGES, 'one socket per page at the end');

      let journaledMissing = 0;
      const heaps = [], used = [];
      for (let i = 0; i < PAGES; ++i) {
        const s = start[i], e = end[i], p = pages[i];
        const skipped = hub.skippedIn(s.seq, e.seq);
        const seqs = e.seq - s.seq;
        assert.equal(e.frames - s.frames, seqs - skipped,
          `${p.name}: ${e.frames - s.frames} frames applied for ${seqs} seqs of which ${skipped} never issued`);
        assert.equal(e.missing - s.missing, skipped, `${p.name}: missing counts only never-issued seqs`);
        journaledMissing += (e.missing - s.missing) - skipped;
        assert.ok(e.liveSockets <= 1, `${p.name}: ${e.liveSockets} sockets`);
        assert.ok(e.pendingTimers <= 16, `${p.name}: ${e.pendingTimers} timers pending (piling up?)`);
        // The wasm heap only grows; 50 restarts must not need more than a few MiB on top.
        assert.ok(e.heapBytes <= s.heapBytes + 8 * 2 ** 20, `${p.name}: heap ${s.heapBytes} -> ${e.heapBytes} bytes`);
        heaps.push(`${(s.heapBytes / 2 ** 20).toFixed(0)}->${(e.heapBytes / 2 ** 20).toFixed(0)}MiB`);
        // What malloc holds (pages that have it): 50 restarts' replays and reconnects must not add up.
        if (s.heapUsedBytes !== undefined) {
          assert.ok(e.heapUsedBytes <= s.heapUsedBytes + 2 * 2 ** 20, `${p.name}: heap in use ${s.heapUsedBytes} -> ${e.heapUsedBytes} bytes`);
          used.push(`${(s.heapUsedBytes / 2 ** 20).toFixed(1)}->${(e.heapUsedBytes / 2 ** 20).toFixed(1)}`);
        }
        await p.assertNotReloaded();
      }
      summary(`many-restarts-${RESTARTS}`, { seed: SEED, kills, terms, waited_live: waitedLive, restarts_s: restartsMs / 1000,
        journaled_missing: journaledMissing, skipped_seqs: hub.skipped().total, max_sockets_per_client: maxDup,
        healthz_missed: healthzMissed, heap: heaps.join(','), heap_used_mib: used.join(',') || 'n/a' });
    });
  } finally {
    for (const p of pages) await p.close();
    await browser.close();
    await hub.kill();
  }
});
