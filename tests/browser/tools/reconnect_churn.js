// A flapping network in miniature, for the socket-table test and its bench row: a hub that accepts
// every WebSocket and closes it at once, a site whose config.json shortens the backoff to 10 ms, and
// a page that reconnects `count` times. Reads the page's socket table (window.vigil.socketTable,
// its peak) and the JS heap after a forced GC (Chromium launched with CHURN_ARGS: window.gc and
// precise performance.memory) after `warmup` reconnects and at the end.
//
//   const r = await reconnectChurn(browser, { count: 2000, warmup: 100 });
//   r.reconnects, r.socketTablePeak, r.socketTableEnd, r.liveSocketsMax, r.heapBeforeBytes, r.heapAfterBytes, r.ms
'use strict';
const { WebSocketServer } = require('ws');
const { SiteServer } = require('./site_server');
const { env, until, openPage } = require('../lib/harness');

const CHURN_ARGS = ['--js-flags=--expose-gc', '--enable-precise-memory-info'];

class ClosingHub {
  async start() {
    this.accepted = 0;
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.wss.on('connection', (sock) => { ++this.accepted; sock.close(1000, 'bye'); });
    await new Promise((r) => this.wss.once('listening', r));
    return this;
  }
  get wsUrl() { return `ws://127.0.0.1:${this.wss.address().port}/ws`; }
  close() { return new Promise((r) => this.wss.close(() => r())); }
}

// Two GCs (the second collects what the first's finalizers freed), then the used JS heap.
const gcHeap = (page) => page.evaluate(async () => {
  window.gc();
  await new Promise((r) => setTimeout(r, 50));
  window.gc();
  return performance.memory.usedJSHeapSize;
});

async function reconnectChurn(browser, { count = 2000, warmup = 100, name = 'churn' } = {}) {
  const hub = await new ClosingHub().start();
  const site = await new SiteServer({ root: env.site, config: { backoff: { base_ms: 10, cap_ms: 10 } } }).start();
  const p = await openPage(browser, `${site.url}?ws=${encodeURIComponent(hub.wsUrl)}`, name, { viewport: { width: 320, height: 200 } });
  let liveSocketsMax = 0;
  const reached = (n, ms) => p.waitFor(`${n} sockets made`, (v) => {
    liveSocketsMax = Math.max(liveSocketsMax, v.liveSockets);
    return v.socketsCreated >= n;
  }, ms, 200);
  try {
    await reached(warmup, 30000);
    const heapBeforeBytes = await gcHeap(p.page);
    const t0 = Date.now();
    const before = await p.vigil();
    await reached(before.socketsCreated + count, 240000);
    const ms = Date.now() - t0;
    // The last socket is released once its close arrives: wait for the table to settle.
    const end = await until('the table settled', async () => { const v = await p.vigil(); return v.socketTable <= 1 && v; }, 5000)
      .catch(() => p.vigil());  // a table that never settles is the caller's to report
    const heapAfterBytes = await gcHeap(p.page);
    return {
      reconnects: end.socketsCreated - before.socketsCreated, closes: end.closes - before.closes, accepted: hub.accepted,
      socketTablePeak: end.socketTablePeak, socketTableEnd: end.socketTable, socketsDeleted: end.socketsDeleted,
      liveSocketsMax, pendingTimers: end.pendingTimers, heapBeforeBytes, heapAfterBytes, ms,
    };
  } finally {
    await p.close();
    await site.stop();
    await hub.close();
  }
}

module.exports = { reconnectChurn, ClosingHub, CHURN_ARGS };
