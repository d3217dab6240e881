// Dead networks, through tools/tcp_proxy.js between the page and the hub:
//  - a pulled cable (nothing is closed, bytes just stop): the page goes STALE within a few
//    intervals and declares the peer dead by its heartbeat deadline (9 s of silence, < 10 s), then
//    comes back LIVE with the outage replayed (no seq missing) once the cable is back;
//  - a proxy that accepts connections but never completes the handshake: the connect deadline
//    (5 s) abandons each attempt; attempts come ~5 s apart with the timeout as the reason.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launchBrowser, until, hold, summary, freePort, Hub, openPage, withArtifacts } = require('./lib/harness');
const { TcpProxy } = require('./tools/tcp_proxy');

let hub, browser;
test.before(async () => {
  // The page comes from the hub but its WebSocket goes through the proxy: the Host the hub sees is
  // the proxy's, so the page's origin is named explicitly.
  const port = await freePort();
  hub = await new Hub({ port, args: ['--allow-origin', `http://127.0.0.1:${port}`] }).start();
  browser = await launchBrowser();
});
test.after(async () => {
  await browser?.close();
  await hub?.kill();
});

async function caughtUp(p, timeoutMs = 10000) {
  return until(`${p.name}: seq caught up with the hub's head`, async () => {
    const [h, v] = await Promise.all([hub.healthz(), p.vigil()]);
    return v.state === 'LIVE' && v.seq !== null && v.seq >= h.head && v;
  }, timeoutMs, 100);
}

test('pulled cable: dead-peer verdict within the heartbeat deadline, LIVE again with the outage replayed', async () => {
  const proxy = await new TcpProxy({ targetPort: hub.port }).start();
  const ws = `ws://127.0.0.1:${proxy.port}/ws`;
  const p = await openPage(browser, `${hub.url}?ws=${encodeURIComponent(ws)}`, 'dead-network-cable');
  try {
    await withArtifacts([p], async () => {
      await p.waitLive();
      const before = await caughtUp(p);

      const pulledAt = Date.now();
      proxy.setMode('blackhole');
      await p.waitFor('no longer LIVE (STALE)', (v) => v.state !== 'LIVE', 10000, 50);
      const staleMs = Date.now() - pulledAt;
      const dead = await p.waitFor('dead-peer verdict', (v) => v.deadPeers > before.deadPeers && v.link !== 'open', 12000, 50);
      const deadMs = Date.now() - pulledAt;
      assert.match(dead.reason, /dead peer/);
      assert.equal(dead.closesByCode['4000'], (before.closesByCode['4000'] || 0) + 1, 'closed with 4000 dead peer');
      assert.ok(dead.state === 'RECONNECTING', `RECONNECTING after the verdict (${dead.state})`);
      // The verdict needs 9 s of silence; the last frame came at most one interval before the pull.
      assert.ok(deadMs >= 7500, `dead after ${deadMs} ms: not before the heartbeat deadline`);
      assert.ok(deadMs <= 10500, `dead after ${deadMs} ms: within the 10 s budget`);
      assert.ok(dead.pingsSent > before.pingsSent, 'it asked (ping) before giving up');

      await hold(2000);  // the cable stays out a little longer: the retries hang in the handshake
      const restoredAt = Date.now();
      proxy.setMode('forward');
      await p.waitFor('LIVE on a new socket', (v) => v.state === 'LIVE' && v.opens > before.opens, 10000, 50);
      const recoverMs = Date.now() - restoredAt;
      const after = await caughtUp(p);

      const outageS = (restoredAt - pulledAt) / 1000;
      assert.equal(after.missing, 0, 'nothing missing: the hub replayed the outage');
      assert.equal(after.gaps, 0);
      assert.equal(after.frames - before.frames, after.seq - before.seq, 'every seq of the outage applied once');
      assert.ok(after.seq - before.seq >= Math.floor(outageS) - 2, `${after.seq - before.seq} frames over a ${outageS.toFixed(1)} s outage`);
      assert.ok(after.liveSockets <= 1);
      // Connect deadline (5 s) + largest backoff (1.3 s) bound the wait once the cable is back.
      assert.ok(recoverMs <= 7000, `LIVE ${recoverMs} ms after the cable came back`);
      await p.assertNotReloaded();
      summary('dead-network-cable', { stale_ms: staleMs, dead_ms: deadMs, recover_ms: recoverMs,
        replayed: after.seq - before.seq, missing: after.missing });
    });
  } finally {
    await p.close();
    await proxy.close();
  }
});

test('handshake never completes: the connect deadline fires, attempts ~5 s apart with the reason', async () => {
  const proxy = await new TcpProxy({ targetPort: hub.port }).start();
  proxy.setMode('stall');
  const ws = `ws://127.0.0.1:${proxy.port}/ws`;
  const p = await openPage(browser, `${hub.url}?ws=${encodeURIComponent(ws)}`, 'dead-network-handshake');
  try {
    await withArtifacts([p], async () => {
      await p.startRecorder();
      // Attempt starts as the recorder saw them (its first entry is only where recording began).
      // Wait on the recording itself, not on window.vigil: the recorder samples every 20 ms, so a
      // poll of window.vigil can see an attempt the recording does not hold yet.
      const startsIn = (hist) => hist.filter((c, i) => i > 0 && c.attempts > hist[i - 1].attempts);
      const starts = await until('three attempt starts recorded', async () => {
        const s = startsIn(await p.history());
        return s.length >= 3 && s;
      }, 3 * (5000 + 1300) + 15000, 100);
      const v = await p.vigil();
      assert.equal(v.opens, 0, 'no attempt completed');
      if (v.connectTimeouts !== undefined) assert.ok(v.connectTimeouts >= 2, `connect timeouts counted (${v.connectTimeouts})`);
      assert.match(v.reason, /no answer from the hub within 5000 ms/);
      assert.ok(v.state === 'CONNECTING' || v.state === 'RECONNECTING', v.state);
      assert.ok(v.liveSockets <= 1, `abandoned sockets are released (${v.liveSockets})`);
      const gaps = starts.slice(1).map((c, i) => c.t - starts[i].t);
      for (const g of gaps) {
        assert.ok(g >= 4900 && g <= 5000 + 1300 + 600, `attempts ${gaps.map((x) => x.toFixed(0)).join(', ')} ms apart: deadline 5 s + backoff <= 1.3 s`);
      }
      await until('the proxy held the attempts', () => proxy.stats().accepted >= 3, 3000, 20);
      assert.equal(proxy.stats().forwarded, 0, 'no byte went through');
      // Network back: the next attempt goes through.
      proxy.setMode('forward');
      await p.waitLive(10000);
      await p.assertNotReloaded();
      summary('dead-network-handshake', { attempts: v.attempts, apart_ms: gaps.map((x) => x.toFixed(0)).join('/') });
    });
  } finally {
    await p.close();
    await proxy.close();
  }
});
