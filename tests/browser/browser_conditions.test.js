// What the browser does to the page:
//  - offline/online (context.setOffline): OFFLINE without retrying while offline, an immediate
//    reconnect when the network is back, the offline time replayed;
//  - a hidden tab with throttled timers while data flows: no false dead-peer verdict;
//  - kiosk boot: the first connection is attempted before the hub runs -> LIVE once it starts.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launchBrowser, until, hold, summary, freePort, Hub, openPage, withArtifacts, PAGE_CONTROL } = require('./lib/harness');

let hub, browser;
test.before(async () => {
  hub = await new Hub().start();
  browser = await launchBrowser();
});
test.after(async () => {
  await browser?.close();
  await hub?.kill();
});

async function caughtUp(p, timeoutMs = 10000) {
  return until(`${p.name}: caught up with the hub's head`, async () => {
    const [h, v] = await Promise.all([hub.healthz(), p.vigil()]);
    return v.state === 'LIVE' && v.seq >= h.head && v;
  }, timeoutMs, 100);
}

test('offline -> OFFLINE with no retries; online -> reconnect at once, the offline time replayed', async () => {
  const p = await openPage(browser, hub.url, 'browser-offline');
  try {
    await withArtifacts([p], async () => {
      await p.waitLive();
      const before = await caughtUp(p);
      const offAt = Date.now();
      await p.context.setOffline(true);
      const off = await p.waitFor('OFFLINE', (v) => v.state === 'OFFLINE', 5000, 20);
      const detectMs = Date.now() - offAt;
      assert.equal(off.link, 'offline');
      assert.equal(off.nextTryInMs, null, 'no retry scheduled while offline');
      await hold(3000);  // the scenario: offline for a while
      const still = await p.vigil();
      assert.equal(still.state, 'OFFLINE');
      assert.equal(still.attempts, off.attempts, 'no attempt while offline');
      const onAt = Date.now();
      await p.context.setOffline(false);
      const back = await p.waitFor('LIVE again', (v) => v.state === 'LIVE' && v.opens > before.opens, 5000, 20);
      const recoverMs = Date.now() - onAt;
      assert.equal(back.attempts, still.attempts + 1, 'one attempt, made at once');
      // "At once": no backoff wait, just a handshake (the backoff floor is 100 ms, its first ceiling 1 s).
      assert.ok(recoverMs <= 1500, `LIVE ${recoverMs} ms after the network came back`);
      const after = await caughtUp(p);
      assert.equal(after.missing, 0);
      assert.equal(after.frames - before.frames, after.seq - before.seq, 'the offline seconds replayed, each once');
      await p.assertNotReloaded();
      summary('browser-offline', { detect_ms: detectMs, recover_ms: recoverMs, replayed: after.seq - before.seq });
    });
  } finally {
    await p.close();
  }
});

// Headless Chromium never hides a page, so the test imposes what Chrome does to a hidden tab,
// before the page's own scripts run (PAGE_CONTROL in harness.js): document.visibilityState
// 'hidden' + visibilitychange, requestAnimationFrame stops (the wasm main loop with it), and every setTimeout fires late,
// aligned to 12 s wake-ups: Chrome aligns hidden tabs' timers to 1 s, and to 1 min after 5 min
// (intensive throttling); 12 s is longer than the 9 s dead-peer deadline, so a heartbeat that
// measured silence by its own timer's schedule instead of by the clock would misfire. Messages
// (socket events) are not throttled, as in Chrome. Data flows all along.

test('hidden tab with timers throttled to 12 s wake-ups while data flows: no false dead-peer verdict', async () => {
  const p = await openPage(browser, hub.url, 'browser-hidden', { beforeGoto: (page) => page.addInitScript(PAGE_CONTROL) });
  try {
    await withArtifacts([p], async () => {
      await p.waitLive();
      await p.countFrames();
      const before = await caughtUp(p);
      await p.page.evaluate(() => { const c = window.__loop; c.alignMs = 12000; c.parked = true; c.setHidden(true); });
      const loopAtHide = await p.frames();
      // The scenario: hidden for 26 s, i.e. two late wake-ups of every timer past the deadline.
      const samples = [];
      const end = Date.now() + 26000;
      while (Date.now() < end) { samples.push(await p.vigil()); await hold(500); }
      const hidden = await p.page.evaluate(() => ({ delayed: window.__loop.delayed, parkedFrames: window.__loop.parkedFrames }));
      const loopWhileHidden = (await p.frames()) - loopAtHide;
      const last = samples[samples.length - 1];
      assert.ok(hidden.delayed >= 2, `timers really were delayed (${hidden.delayed})`);
      assert.ok(loopWhileHidden <= 2, `the main loop stopped while hidden (${loopWhileHidden} iterations)`);
      assert.equal(last.deadPeers, 0, 'no dead-peer verdict');
      assert.equal(last.opens, before.opens, 'no reconnect');
      assert.ok(samples.every((s) => s.link === 'open'), `open throughout (${[...new Set(samples.map((s) => s.link))].join(',')})`);
      assert.ok(last.frames - before.frames >= 20, `frames applied while hidden: ${last.frames - before.frames}`);

      await p.page.evaluate(() => { window.__loop.setHidden(false); window.__loop.release(); });
      const shown = await p.waitFor('LIVE when visible again', (v) => v.state === 'LIVE', 5000, 20);
      assert.equal(shown.deadPeers, 0);
      assert.equal(shown.opens, before.opens);
      await until('the loop runs again', async () => (await p.frames()) > loopAtHide + loopWhileHidden + 3, 5000);
      const after = await caughtUp(p);
      assert.equal(after.missing, 0);
      await p.assertNotReloaded();
      summary('browser-hidden', { hidden_s: 26, timers_delayed: hidden.delayed, frames_while_hidden: last.frames - before.frames,
        dead_peers: last.deadPeers, reconnects: last.opens - before.opens });
    });
  } finally {
    await p.close();
  }
});

test('kiosk boot: the page starts before the hub -> LIVE once the hub listens', async () => {
  const port = await freePort();
  const late = new Hub({ port, args: ['--allow-origin', new URL(hub.url).origin] });  // the page is hub's
  const p = await openPage(browser, `${hub.url}?ws=${encodeURIComponent(`ws://127.0.0.1:${port}/ws`)}`, 'browser-kiosk-boot');
  try {
    await withArtifacts([p], async () => {
      const waiting = await p.waitFor('retrying while nothing listens', (v) => v.attempts >= 3, 15000, 50);
      assert.equal(waiting.opens, 0);
      assert.ok(['CONNECTING', 'RECONNECTING'].includes(waiting.state), waiting.state);
      assert.ok(waiting.reason.length > 0, 'a reason is shown');
      const startedAt = Date.now();
      await late.start();
      const live = await p.waitLive(10000);
      const recoverMs = Date.now() - startedAt;
      assert.equal(live.opens, 1);
      assert.ok(recoverMs <= 3000, `LIVE ${recoverMs} ms after the hub started (backoff cap 1.3 s)`);
      await p.assertNotReloaded();
      summary('browser-kiosk-boot', { attempts_before: waiting.attempts, live_after_hub_ms: recoverMs });
    });
  } finally {
    await p.close();
    await late.kill();
  }
});
