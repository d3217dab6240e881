// 5,000 hosts against the real hub with its default flags (issue 13): a fresh page's backfill
// (the 2.6 MB catalog, then ~0.74 MB frames) is far bigger than the hub's default 8 MiB
// per-client send queue. The hub replays it paced by the socket's drain, so the page is not
// dropped as slow (no close 4008), reaches LIVE with every host, and misses no frame; a
// reconnect then asks only for the history its series hold (26 s at 5,000 hosts).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launchBrowser, Hub, openPage, withArtifacts, summary } = require('./lib/harness');

let hub, browser;
test.before(async () => {
  hub = await new Hub({ args: ['--no-local', '--simulate', '5000'] }).start();  // default queue bounds
  browser = await launchBrowser();
});
test.after(async () => {
  await browser?.close();
  await hub?.kill('SIGTERM');
});

test('5,000 hosts, default hub flags: a fresh page replays a backfill of 20+ MB, no 4008, LIVE, missing 0', async () => {
  // A backfill well past the queue: 20 frames of ~0.74 MB behind the catalog.
  const deadline = Date.now() + 60000;
  let h;
  while ((h = await hub.healthz()).head < 20) {
    assert.ok(Date.now() < deadline, `the hub journals its frames (head ${h.head})`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const p = await openPage(browser, hub.url, 'wall-5000', { viewport: { width: 1920, height: 1080 } });
  try {
    await withArtifacts([p], async () => {
      // null until the wasm is up (window.vigil is the wasm's), and across a reload.
      const light = () => p.page.evaluate(() => {
        const v = window.vigil;
        if (!v) return null;
        return { state: v.state, hosts: v.hosts, frames: v.frames, replayed: v.replayed, missing: v.missing, gaps: v.gaps,
          closes: v.closes, closesByCode: v.closesByCode, opens: v.opens, layout: v.layout };
      });
      const t0 = Date.now();
      let v;
      for (;;) {
        v = await light();
        if (v && v.state === 'LIVE' && v.hosts === 5000 && v.frames > v.replayed) break;
        if (v) assert.equal(v.closes, 0, `no close while catching up: ${JSON.stringify(v.closesByCode)}`);
        assert.ok(Date.now() - t0 < 120000, `LIVE within 120 s (${JSON.stringify(v)})`);
        await new Promise((r) => setTimeout(r, 500));
      }
      const toLive = Date.now() - t0;
      const after = await hub.healthz();
      summary('wall-5000', { to_live_ms: toLive, replayed: v.replayed, frames: v.frames, head_at_open: h.head,
        hub_dropped: after.dropped_clients ?? after.droppedClients });
      assert.equal(v.layout, 'overview');
      assert.ok(v.replayed >= 20, `the backfill was replayed (${v.replayed} frames)`);
      assert.equal(v.missing, 0, 'no frame missing');
      assert.equal(v.gaps, 0);
      assert.equal(v.opens, 1, 'one connection all along');
      assert.deepEqual(v.closesByCode, {}, 'never closed (4008: slow client)');
    });
  } finally {
    await p.context.close();
  }
});
