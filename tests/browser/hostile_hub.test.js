// A hostile or broken hub (tools/hostile_hub.js; the page is served by the real hub and pointed
// at the hostile one with ?ws=): every bad message is counted under its kind and ignored, the good
// frames interleaved with them still apply, a 50 MB frame is refused without killing the page,
// and a flood of 10k messages per second leaves the page drawing and answering.
// "Drawing" is measured by counting the wasm main loop's iterations (calls of
// window.vigilPage.alive, the watchdog's heartbeat; see harness countFrames()).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launchBrowser, until, hold, summary, Hub, openPage, withArtifacts } = require('./lib/harness');
const { HostileHub, BAD_KINDS } = require('./tools/hostile_hub');

let hub, browser;
test.before(async () => {
  hub = await new Hub().start();
  browser = await launchBrowser();
});
test.after(async () => {
  await browser?.close();
  await hub?.kill();
});

async function openAgainst(hh, name) {
  const p = await openPage(browser, `${hub.url}?ws=${encodeURIComponent(hh.url)}`, name);
  await hh.connected();
  // Open with a frame applied (not 'LIVE': the hostile hub sends one frame and then nothing, so
  // the page is LIVE only for 3 intervals and a slow start could miss that window).
  await p.waitFor('open on the hostile hub with a frame', (v) => v.link === 'open' && v.frames >= 1, 20000);
  await p.countFrames();
  return p;
}

// Kinds with a non-zero expected count only (the page's map may list zeros or not).
function nonZero(o) { return Object.fromEntries(Object.entries(o).filter(([, n]) => n > 0)); }

test('every kind of bad message is counted by kind and ignored; good frames between them apply', async () => {
  const hh = await new HostileHub().start();
  const p = await openAgainst(hh, 'hostile-kinds');
  try {
    await withArtifacts([p], async () => {
      const before = await p.vigil();
      let marker = 100;
      for (const kind of BAD_KINDS.filter((k) => k !== 'huge' && k !== 'seq_backwards')) {
        hh.bad(kind);
        hh.good(++marker);
      }
      hh.skipAhead(5, ++marker);  // a gap of 5 seqs...
      hh.bad('seq_backwards');   // ...and a frame from inside it, late: never applied
      hh.good(++marker);
      const v = await p.waitFor(`the last good value (${marker})`, (s) => s.values.cpu === marker, 15000);
      const byKind = nonZero(v.rejectedByKind);
      assert.deepEqual(byKind, hh.expected, 'rejections by kind');
      const total = Object.values(hh.expected).reduce((a, b) => a + b, 0);
      assert.equal(v.rejected - before.rejected, total);
      assert.equal(v.frames, hh.sentGood, 'every good frame applied');
      assert.equal(v.missing, 5, 'the hole left by the hub');
      assert.equal(v.seq, hh.seq);
      assert.equal(v.link, 'open', 'bad input does not cost the connection');
      assert.equal(v.opens, 1);
      assert.ok((await p.frames()) > 0, 'still drawing');
      await p.assertNotReloaded();
      summary('hostile-kinds', { kinds: Object.keys(byKind).length, rejected: total, good: hh.sentGood });
    });
  } finally {
    await p.close();
    await hh.close();
  }
});

// The page's heartbeat only sees whole messages: 50 MB take ~5-8 s to cross into headless
// Chromium on these 2 cores, close to the 9 s dead-peer deadline. Both outcomes are right: the
// frame arrives and is counted too_big on the same socket, or the page gives up on the silent
// socket (4000) and reconnects. Either way it keeps drawing, does not reload, and shows the next
// good value. The summary line says which happened.
test('a 50 MB frame: refused as too_big (or the socket given up as silent); the page keeps drawing and applies what follows', async () => {
  const hh = await new HostileHub().start();
  const p = await openAgainst(hh, 'hostile-huge');
  try {
    await withArtifacts([p], async () => {
      const before = await p.vigil();
      const framesBefore = await p.frames();
      hh.good(1);           // the silence clock starts now
      const sentAt = Date.now();
      const hellos = hh.hellos.length;
      hh.bad('huge');
      const end = await p.waitFor('the huge frame refused, or the socket given up',
        (s) => s.rejectedByKind.too_big >= 1 || s.deadPeers > before.deadPeers, 30000, 50);
      const ms = Date.now() - sentAt;
      const framesDuring = (await p.frames()) - framesBefore;
      const sameSocket = end.rejectedByKind.too_big === 1;
      if (sameSocket) assert.equal(end.opens, before.opens, 'refused on the same socket');
      else await until('the page says hello on a new socket', () => hh.hellos.length > hellos && hh.sock.readyState === 1, 20000, 20);
      hh.good(4242);
      const v = await p.waitFor('the value sent after it', (s) => s.values.cpu === 4242 && s.link === 'open', 20000, 50);
      assert.ok(v.rejectedByKind.too_big <= 1);
      assert.equal(v.deadPeers - before.deadPeers, sameSocket ? 0 : 1);
      // Kept drawing while the 50 MB came in: at least 2 loop iterations per second on average.
      assert.ok(framesDuring >= (ms / 1000) * 2, `${framesDuring} loop iterations in ${ms} ms`);
      await p.assertNotReloaded();
      summary('hostile-50MB', { outcome: sameSocket ? 'too_big' : 'dead_peer', after_ms: ms, loop_per_s: (framesDuring / (ms / 1000)).toFixed(0),
        heap_mib: (v.heapBytes / 2 ** 20).toFixed(0) });
    });
  } finally {
    await p.close();
    await hh.close();
  }
});

test('a flood of 10k messages per second for 3 s: the page keeps drawing, counts every bad one, applies every good one', async () => {
  const hh = await new HostileHub().start();
  const p = await openAgainst(hh, 'hostile-flood');
  try {
    await withArtifacts([p], async () => {
      const before = await p.vigil();
      // The longest wait between two main-loop iterations, measured in the page.
      await p.page.evaluate(() => {
        const orig = window.vigilPage.alive;
        let last = performance.now();
        window.__maxLoopGap = 0;
        window.vigilPage.alive = function () {
          const now = performance.now();
          window.__maxLoopGap = Math.max(window.__maxLoopGap, now - last);
          last = now;
          return orig.apply(this, arguments);
        };
      });
      const f0 = await p.frames();
      // Loop iterations per second during the flood, sampled from Node while it floods (a trend
      // for the summary line).
      const rates = [];
      let sampling = true;
      const sampler = (async () => {
        let last = f0, at = Date.now();
        while (sampling) {
          await hold(500);
          const f = await p.frames();
          rates.push((f - last) / ((Date.now() - at) / 1000));
          last = f; at = Date.now();
        }
      })();
      const t0 = Date.now();
      const sent = await hh.flood({ perSecond: 10000, seconds: 3, badEvery: 50 });
      const floodMs = Date.now() - t0;
      const v = await p.waitFor('every good frame of the flood applied', (s) => s.frames === hh.sentGood, 60000, 100);
      const drainMs = Date.now() - t0;
      sampling = false;
      await sampler;
      const loops = (await p.frames()) - f0;
      const maxGapMs = await p.page.evaluate(() => window.__maxLoopGap);
      assert.deepEqual(nonZero(v.rejectedByKind), hh.expected, 'every bad message counted by kind');
      assert.equal(v.missing, 0);
      assert.equal(v.link, 'open', 'the flood does not cost the connection');
      assert.equal(v.opens, before.opens);
      assert.equal(v.deadPeers, 0);
      // The screen must keep updating through the flood and its drain: the watchdog calls a loop
      // silent for 10 s dead; we want far better, no stall over 2.5 s and a couple of iterations a
      // second on average (2 shared cores also run the flooding hub, Chromium's network process and
      // its software GPU; measured here: 7-8 per second, longest gap well under 1 s).
      assert.ok(maxGapMs <= 2500, `longest main-loop gap ${maxGapMs.toFixed(0)} ms (per 500 ms: ${rates.map((r) => r.toFixed(0)).join(',')})`);
      assert.ok(loops >= 2 * (drainMs / 1000), `${loops} main-loop iterations in ${drainMs} ms`);
      const minRate = Math.min(...rates.slice(0, Math.max(1, Math.floor(floodMs / 500))));
      await p.assertNotReloaded();
      summary('hostile-flood', { sent, per_s: (sent / (floodMs / 1000)).toFixed(0), drained_ms: drainMs,
        max_gap_ms: maxGapMs.toFixed(0), min_fps: minRate.toFixed(0), fps: rates.map((r) => r.toFixed(0)).join('/') });
    });
  } finally {
    await p.close();
    await hh.close();
  }
});
