// Benchmark 3, herd: 20 and 100 pages on one hub (--max-clients raised); the hub is killed
// (SIGKILL) and, separately, stopped (SIGTERM, retry hint 1.5 s), down 3 s, started again. From the
// new hub's /stats/connects: reconnects per 100 ms bucket (peak), spread (first to last, and the
// 10-90 % span), time from listening to the last one. Same for N baseline pages (fixed 5 s retry).
// One browser, pages in contexts of 10, small viewports (the herd is about sockets, not pixels).
// If N Vigil pages cannot all be brought LIVE, the largest N that worked is measured and said.
'use strict';
const L = require('./lib.js');

const sizes = L.quick ? [10] : [20, 100];
const outageMs = 3000;
const perContext = 10;
const results = [];
const partial = () => ({ outageMs, results });
L.deadline('herd', 15 * 60 * 1000, partial);

function spreadOf(connects, tListen) {
  const ts = connects.map((c) => c.t).sort((a, b) => a - b);
  if (!ts.length) return { n: 0 };
  const buckets = new Map();
  for (const t of ts) { const b = Math.floor((t - ts[0]) / 100); buckets.set(b, (buckets.get(b) || 0) + 1); }
  return {
    n: ts.length, accepted: connects.filter((c) => c.outcome === 'accepted').length,
    peakPer100ms: Math.max(...buckets.values()), bucketsUsed: buckets.size,
    spreadMs: ts[ts.length - 1] - ts[0],
    span10to90Ms: L.quantile(ts, 0.9) - L.quantile(ts, 0.1),
    firstAfterListenMs: ts[0] - tListen, lastAfterListenMs: ts[ts.length - 1] - tListen,
    histogram: [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([b, n]) => [b * 100, n]),
  };
}

async function allUp(pages, kind, sinceOpens, timeoutMs) {
  const t0 = Date.now();
  let up = 0;
  await L.until(`${pages.length} ${kind} pages up`, async () => {
    const states = await Promise.all(pages.map((p, i) => p.page.evaluate(([k, o]) => {
      const v = k === 'vigil' ? window.vigil : window.baseline;
      if (!v) return false;
      const fresh = k === 'vigil' ? v.state === 'LIVE' && v.lastSample > 0 : v.isConnect && v.samples > 0;
      return fresh && v.opens > o;
    }, [kind, sinceOpens ? sinceOpens[i] : 0]).catch(() => false)));
    up = states.filter(Boolean).length;
    return up === pages.length || Date.now() - t0 > timeoutMs;
  }, timeoutMs + 10000, 500);
  return up;
}
const opensOf = (pages, kind) => Promise.all(pages.map((p) => p.page.evaluate((k) => (k === 'vigil' ? window.vigil : window.baseline).opens, kind)));

async function herd(browser, kind, n, stat) {
  // Every page comes from 127.0.0.1 (above the per-address default of 16), the baseline's from its
  // static server (another origin).
  const hub = await new L.Hub({ args: ['--max-clients', '1000', '--max-clients-per-address', '1000', '--allow-origin', '*'] }).start();
  const contexts = [];
  const pages = [];
  const r = { kind, asked: n, rounds: [] };
  try {
    const tOpen = Date.now();
    for (let i = 0; i < n; i += 5) {
      const batch = [];
      for (let j = i; j < Math.min(n, i + 5); ++j) {
        const ci = Math.floor(j / perContext);
        if (!contexts[ci]) contexts[ci] = await browser.newContext({ viewport: { width: 320, height: 200 } });
        const url = kind === 'vigil' ? hub.url : L.baselineUrl(stat, hub.wsUrl, `vue-herd-${j}`);
        batch.push(L.openPage(browser, url, `bench-herd-${kind}-${j}`, { context: contexts[ci] }));
      }
      pages.push(...(await Promise.all(batch)));
    }
    const up = await allUp(pages, kind, null, 60000 + n * 1500);
    r.pagesUp = up;
    r.openSeconds = L.round((Date.now() - tOpen) / 1000, 1);
    r.browserRssGiB = null;
    if (up < n) {
      console.log(`# herd ${kind} ${n}: only ${up} pages came up LIVE; measuring with those`);
    }
    for (const [mode, signal] of [['kill', 'SIGKILL'], ['term', 'SIGTERM']]) {
      await allUp(pages, kind, null, 30000);
      const opens = await opensOf(pages, kind);
      const tDown = Date.now();
      await hub.kill(signal);
      await L.hold(Math.max(0, outageMs - (Date.now() - tDown)));
      await hub.start();
      const tListen = Date.now();
      const back = await allUp(pages, kind, opens, 60000);
      const tAll = Date.now();
      const log = await hub.connects();
      const connects = log.connects.filter((c) => c.t >= tListen - 1000);
      const s = spreadOf(connects, tListen);
      r.rounds.push({ mode, pagesBack: back, allBackAfterMs: tAll - tListen, ...s });
      console.log(`# herd ${kind} ${n} ${mode}: ${back}/${pages.length} back; connects ${s.n}, peak ${s.peakPer100ms}/100ms, ` +
        `spread ${s.spreadMs} ms (10-90% ${s.span10to90Ms} ms), first +${s.firstAfterListenMs} ms, last +${s.lastAfterListenMs} ms`);
    }
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
    await hub.stop().catch(() => {});
  }
  return r;
}

(async () => {
  const stat = await L.staticServer(L.baselineDir);
  const browser = await L.launchBrowser();
  try {
    for (const n of sizes) {
      results.push(await herd(browser, 'vigil', n, stat));
      results.push(await herd(browser, 'baseline', n, stat));
    }
  } finally {
    await browser.close().catch(() => {});
    await stat.close();
  }
  L.writeResult('herd', partial());
  process.exit(0);
})().catch((e) => { console.error(e); L.writeResult('herd', { ...partial(), error: String(e.stack || e) }); process.exit(1); });
