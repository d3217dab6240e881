// A herd: 20 pages in one browser context (small viewports: 2 shared cores draw them all with a
// software GPU). The hub is
//  - killed (-9) and restarted after 1 s: their reconnects, as the new hub records them in
//    /stats/connects, are spread over at least 0.8 s (measured 0.9-1.3 s) and none is refused;
//  - restarted gracefully with --retry-hint-ms 4000: no page comes back before the hint, and they
//    spread over >= 1 s of the window after it (hint + up to max(1 s, hint / 2), close_policy.h).
// The kill case is held to the backoff's design figure, >= 0.8 s (issue 3; the lead decided against
// widening the backoff for issue 6's 1 s, finding F3: 20 arrivals inside the 1.3 s cap span ~0.9-1.2 s).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launchBrowser, until, hold, summary, Hub, openPage, withArtifacts } = require('./lib/harness');

const N = 20;
// Maintenance spreads screens uniformly over [hint, hint + max(1 s, hint / 2)] (close_policy.h): a
// 4 s hint gives a 2 s window, so 20 screens span >= 1 s but for a ~1e-5 chance. (With 2 s the
// window is 1 s wide and 20 draws span ~0.9 s of it.)
const HINT_MS = 4000;
const WINDOW_MS = Math.max(1000, HINT_MS / 2);

let hub, browser, context;
const pages = [];
test.before(async () => {
  // All pages come from 127.0.0.1: above the per-address default of 16.
  hub = await new Hub({ args: ['--retry-hint-ms', String(HINT_MS), '--max-clients-per-address', String(2 * N)] }).start();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 320, height: 200 } });
  for (let i = 0; i < N; ++i) pages.push(await openPage(browser, hub.url, `herd-${i}`, { context }));
});
test.after(async () => {
  await context?.close();
  await browser?.close();
  await hub?.kill();
});

// Every page LIVE and connected to the hub running now.
async function allLive() {
  return until(`all ${N} pages LIVE on the hub`, async () => {
    const h = await hub.healthz();
    if (h.clients !== N) return false;
    const vs = await Promise.all(pages.map((p) => p.vigil()));
    return vs.every((v) => v.state === 'LIVE') && vs;
  }, 30000, 200);
}

// Spread statistics of the connects the current hub recorded.
function spread(connects) {
  const ts = connects.map((c) => c.t).sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0; i < ts.length; ++i) {
    let j = i;
    while (j < ts.length && ts[j] < ts[i] + 100) ++j;
    peak = Math.max(peak, j - i);
  }
  return { first: ts[0], last: ts[ts.length - 1], spanMs: ts[ts.length - 1] - ts[0], peakPer100ms: peak };
}

test(`${N} pages, hub killed and restarted after 1 s: reconnects spread over >= 0.8 s, none refused`, async () => {
  await withArtifacts(pages, async () => {
    await allLive();
    const before = await Promise.all(pages.map((p) => p.vigil()));
    const killedAt = Date.now();
    await hub.kill('SIGKILL');
    await until('every page noticed', async () => (await Promise.all(pages.map((p) => p.vigil()))).every((v) => v.link !== 'open'), 10000, 100);
    await hold(1000 - (Date.now() - killedAt));  // the scenario: down 1 s
    const startedAt = Date.now();
    await hub.start();
    const vs = await allLive();
    const allBackMs = Date.now() - startedAt;
    const { connects } = await hub.connects();
    assert.equal(connects.filter((c) => c.outcome !== 'accepted').length, 0, `none refused: ${JSON.stringify(connects.filter((c) => c.outcome !== 'accepted'))}`);
    assert.equal(connects.length, N, 'one connect per page');
    assert.equal(new Set(connects.map((c) => c.client)).size, N, 'each page once');
    const s = spread(connects);
    summary('herd-kill', { pages: N, span_ms: s.spanMs, peak_per_100ms: s.peakPer100ms, first_after_start_ms: s.first - startedAt,
      all_live_ms: allBackMs });
    // The backoff's design target (src/core/backoff.h (b)): >= 0.8 s, no 100 ms window with more
    // than a quarter of the herd; +2 for 2 loaded cores.
    assert.ok(s.spanMs >= 800, `reconnects spread over ${s.spanMs} ms`);
    assert.ok(s.peakPer100ms <= N / 4 + 2, `at most about a quarter of the herd in any 100 ms (peak ${s.peakPer100ms})`);
    const h = await hub.healthz();
    assert.ok(h.max_concurrent_per_client <= 1);
    for (let i = 0; i < N; ++i) assert.equal(vs[i].opens, before[i].opens + 1, `${pages[i].name}: one reconnect`);
    for (const p of pages) await p.assertNotReloaded();
  });
});

test(`${N} pages, graceful restart with a ${HINT_MS} ms hint: nobody before the hint, spread after it`, async () => {
  await withArtifacts(pages, async () => {
    await allLive();
    const before = await Promise.all(pages.map((p) => p.vigil()));
    const stoppedAt = Date.now();
    await hub.stop();
    await hub.start();  // at once: the pages' own wait is what is measured
    const startedAt = Date.now();
    const vs = await allLive();
    const { connects } = await hub.connects();
    assert.equal(connects.filter((c) => c.outcome !== 'accepted').length, 0, 'none refused');
    assert.equal(connects.length, N, 'one attempt per page: each waited for the hint');
    const s = spread(connects);
    summary('herd-graceful', { pages: N, hint_ms: HINT_MS, first_ms: s.first - stoppedAt, last_ms: s.last - stoppedAt,
      span_ms: s.spanMs, peak_per_100ms: s.peakPer100ms, hub_up_after_ms: startedAt - stoppedAt });
    // The 1012 reaches each page within a few ms of stoppedAt; 50 ms of slack for that.
    assert.ok(s.first >= stoppedAt + HINT_MS - 50, `first attempt ${s.first - stoppedAt} ms after the stop, hint ${HINT_MS} ms`);
    assert.ok(s.last <= stoppedAt + HINT_MS + WINDOW_MS + 1000, `last attempt ${s.last - stoppedAt} ms after the stop, window ends at ${HINT_MS + WINDOW_MS}`);
    assert.ok(s.spanMs >= 1000, `spread over ${s.spanMs} ms`);
    // Same bound as the kill case: 20 pages share one renderer on 2 busy cores, whose timers
    // fire in batches under load (seen: 6 in 100 ms while a benchmark ran alongside).
    assert.ok(s.peakPer100ms <= N / 4 + 2, `at most about a quarter of the herd in any 100 ms (peak ${s.peakPer100ms})`);
    for (let i = 0; i < N; ++i) {
      assert.equal(vs[i].opens, before[i].opens + 1, `${pages[i].name}: one reconnect`);
      assert.equal(vs[i].closesByCode['1012'], (before[i].closesByCode['1012'] || 0) + 1);
    }
    for (const p of pages) await p.assertNotReloaded();
  });
});
