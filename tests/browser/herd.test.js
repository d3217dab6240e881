// A herd: 20 pages in one browser context (small viewports: 2 shared cores draw them all with a
// software GPU). The hub is
//  - killed (-9) and restarted after 1 s: their reconnects, as the new hub records them in
//    /stats/connects, are spread over at least 0.5 s (measured 0.9-1.3 s) with at most half of them
//    in one 100 ms, and none is refused;
//  - restarted gracefully with --retry-hint-ms 4000: no page comes back before the hint, and they
//    spread over >= 1 s of the window after it (hint + up to max(1 s, hint / 2), close_policy.h).
// One run is one draw of a random process. The backoff's design figures (src/core/backoff.h (b):
// >= 0.8 s, at most a quarter per 100 ms) are medians, asserted over 300 seeds by
// tests/unit/test_core_recovery_sim.cpp. A single correct run misses 0.8 s in 4-7 % and puts more
// than 7 in one 100 ms in 3-4 % (that model, 10^5 runs, hub back 1.0-1.3 s after the drop; CI of
// 2026-12-04 drew 8 with the old bound of 7). The kill case's bounds sit where a correct run fails
// about 1 in 3000 or less (span < 0.5 s: 4e-5..3e-4; peak > 10: 1e-4..3e-4). Without jitter the 20
// arrive together (the Vue baseline of README benchmark 3: peak 15 per 100 ms, span 123 ms), but in
// this test they do not: with the jitter taken out (u = 0.5 for every page, 2026-12-04) the hub saw
// spans of 339 and 464 ms and peaks of 7 and 6, since a browser opens its connects to one host:port
// one at a time (RFC 6455 4.1) on two loaded cores. What tells a spreading herd from screens that
// draw alike is each page's own draw (`retryDelayMs`), checked first.
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

test(`${N} pages, hub killed and restarted after 1 s: reconnects spread over >= 0.5 s, none refused`, async () => {
  await withArtifacts(pages, async () => {
    await allLive();
    const before = await Promise.all(pages.map((p) => p.vigil()));
    const killedAt = Date.now();
    await hub.kill('SIGKILL');
    const down = await until('every page noticed', async () => {
      const vs = await Promise.all(pages.map((p) => p.vigil()));
      return vs.every((v) => v.link !== 'open' && v.retryDelayMs !== null) && vs;
    }, 10000, 100);
    // Each page's own draw (the first or second retry, 100-1000 / 100-1300 ms): independent draws
    // differ and cover most of the range (20 of them span < 400 ms about 1 in 10^5); screens that
    // drew alike (no jitter, one seed for all) would show one or two values.
    const delays = down.map((v) => v.retryDelayMs);
    const drawn = { distinct: new Set(delays.map((d) => d.toFixed(3))).size, range: Math.max(...delays) - Math.min(...delays) };
    assert.ok(drawn.distinct >= N / 2, `each page draws its own delay: ${drawn.distinct} distinct of ${delays.join(', ')}`);
    assert.ok(drawn.range >= 400, `the drawn delays cover ${drawn.range.toFixed(0)} ms: ${delays.join(', ')}`);
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
    summary('herd-kill', { pages: N, drawn_distinct: drawn.distinct, drawn_range_ms: Math.round(drawn.range), span_ms: s.spanMs, peak_per_100ms: s.peakPer100ms, first_after_start_ms: s.first - startedAt,
      all_live_ms: allBackMs });
    // Bounds at the rare tail of the design distribution (see the top of this file), not its median.
    assert.ok(s.spanMs >= 500, `reconnects spread over ${s.spanMs} ms`);
    assert.ok(s.peakPer100ms <= N / 2, `at most half of the herd in any 100 ms (peak ${s.peakPer100ms})`);
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
    // Same bound as the kill case. 20 uniform draws over 2 s put more than 7 in one 100 ms about
    // 3e-4 of the time, more than 10 under 1e-6; 20 pages share one renderer on 2 busy cores, whose
    // timers fire in batches under load (seen: 6 in 100 ms while a benchmark ran alongside).
    assert.ok(s.peakPer100ms <= N / 2, `at most half of the herd in any 100 ms (peak ${s.peakPer100ms})`);
    // Each page's own wait (hint plus its draw over the window), still the last retry it armed: 20
    // uniform draws over 2 s span < 0.5 s about 1e-11 of the time; one draw for all would be one value.
    const waits = vs.map((v) => v.retryDelayMs);
    assert.ok(waits.every((w) => w >= HINT_MS && w <= HINT_MS + WINDOW_MS), `every wait inside the hint's window: ${waits.join(', ')}`);
    assert.ok(new Set(waits.map((w) => w.toFixed(3))).size >= N / 2, `each page draws its own wait: ${waits.join(', ')}`);
    assert.ok(Math.max(...waits) - Math.min(...waits) >= 500, `the waits cover ${Math.max(...waits) - Math.min(...waits)} ms: ${waits.join(', ')}`);
    for (let i = 0; i < N; ++i) {
      assert.equal(vs[i].opens, before[i].opens + 1, `${pages[i].name}: one reconnect`);
      assert.equal(vs[i].closesByCode['1012'], (before[i].closesByCode['1012'] || 0) + 1);
    }
    for (const p of pages) await p.assertNotReloaded();
  });
});
