// What the screen decides, end to end in the page: a silent host goes stale (within 3 intervals,
// not before) while the others stay live; a new CJK host name gets its glyphs without a reload;
// a bad config.json is named on screen while the defaults keep working; an idle screen does
// not keep drawing. A small protocol-speaking hub here controls exactly what the page receives.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { WebSocketServer } = require('ws');
const { env, launchBrowser, Hub, openPage, withArtifacts, summary, tmpDir } = require('./lib/harness');

// A hub speaking protocol v1 (src/protocol/PROTOCOL.md) with hosts that can be silenced.
async function scriptedHub({ intervalMs = 1000, hosts }) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  const state = { hosts: hosts.map((h) => ({ ...h })), silent: new Set(), seq: 0, paused: false };
  const catalog = () => JSON.stringify({
    type: 'catalog',
    hosts: state.hosts.map((h) => ({ id: h.id, name: h.name, metrics: [{ key: 'cpu', label: 'CPU', unit: '%', warn: 80, crit: 95 }] })),
  });
  const socks = new Set();
  wss.on('connection', (sock) => {
    socks.add(sock);
    sock.on('close', () => socks.delete(sock));
    sock.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.type === 'hello') {
        sock.send(JSON.stringify({ type: 'welcome', v: 1, epoch: 'e-scripted', head: state.seq, oldest: 0, interval_ms: intervalMs }));
        sock.send(catalog());
        sock.send(JSON.stringify({ type: 'live', head: state.seq }));
      } else if (m.type === 'ping') {
        sock.send(JSON.stringify({ type: 'pong', t: m.t, hub_t: Date.now() }));
      }
    });
  });
  const timer = setInterval(() => {
    if (state.paused) return;
    state.seq += 1;
    const frame = { type: 'samples', seq: state.seq, t: Date.now(), hosts: {} };
    for (const h of state.hosts) if (!state.silent.has(h.id)) frame.hosts[h.id] = { cpu: 20 + (state.seq % 10) };
    const text = JSON.stringify(frame);
    for (const s of socks) s.send(text);
  }, intervalMs);
  return {
    url: `ws://127.0.0.1:${wss.address().port}/`,
    silence(id) { state.silent.add(id); },
    pause() { state.paused = true; },
    addHost(h) {
      state.hosts.push(h);
      const text = catalog();
      for (const s of socks) s.send(text);
    },
    close() { clearInterval(timer); for (const s of socks) s.terminate(); wss.close(); },
  };
}

let hub, browser;
test.before(async () => {
  hub = await new Hub().start();  // serves the page only
  browser = await launchBrowser();
});
test.after(async () => {
  await browser?.close();
  await hub?.kill('SIGTERM');
});

test('a host silent while the others report is stale after 3 intervals, not before; the others stay live', async () => {
  const interval = 1000;
  const fake = await scriptedHub({ intervalMs: interval, hosts: [{ id: 'a', name: 'alpha' }, { id: 'b', name: 'beta' }, { id: 'c', name: 'gamma' }] });
  const p = await openPage(browser, `${hub.url}?ws=${encodeURIComponent(fake.url)}`, 'screen-stale-host');
  try {
    await withArtifacts([p], async () => {
      await p.waitFor('all three hosts fresh', (v) => v.state === 'LIVE' && v.hostStates.a === 'fresh' &&
        v.hostStates.b === 'fresh' && v.hostStates.c === 'fresh', 30000);
      const silencedAt = Date.now();
      fake.silence('b');
      const v = await p.waitFor('beta stale', (s) => s.hostStates.b === 'stale', 15000, 50);
      const after = Date.now() - silencedAt;
      // Noise can only make the verdict late; early would be a wrong rule (unit tests pin it exactly).
      assert.ok(after >= 2 * interval, `stale after ${after} ms: not before 3 intervals of silence (minus one frame in flight)`);
      assert.equal(v.hostStates.a, 'fresh');
      assert.equal(v.hostStates.c, 'fresh');
      assert.equal(v.state, 'LIVE', 'the link itself is still live');
      assert.equal(v.hostsStale, 1);
      await p.page.screenshot({ path: path.join(env.artifacts, 'screen-stale-host.png') });
      await p.assertNotReloaded();
      summary('screen-stale-host', { stale_after_ms: after, interval_ms: interval });
    });
  } finally {
    await p.context.close();
    fake.close();
  }
});

test('a new CJK host name gets its glyphs in the atlas without a reload', async () => {
  const fake = await scriptedHub({ intervalMs: 500, hosts: [{ id: 'a', name: 'alpha' }] });
  const p = await openPage(browser, `${hub.url}?ws=${encodeURIComponent(fake.url)}`, 'screen-new-glyphs');
  try {
    await withArtifacts([p], async () => {
      const before = await p.waitLive();
      fake.addHost({ id: 'z', name: '监控大屏-新节点' });
      const v = await p.waitFor('the new host and its glyphs', (s) => s.hosts === 2 && s.glyphs >= before.glyphs + 6, 15000);
      assert.ok(v.atlas[0] <= 2048 && v.atlas[1] <= 2048);
      await p.assertNotReloaded();
    });
  } finally {
    await p.context.close();
    fake.close();
  }
});

test('an idle screen draws about once a second (the clock), not every animation frame', async () => {
  const fake = await scriptedHub({ intervalMs: 500, hosts: [{ id: 'a', name: 'alpha' }] });
  const p = await openPage(browser, `${hub.url}?ws=${encodeURIComponent(fake.url)}`, 'screen-idle');
  try {
    await withArtifacts([p], async () => {
      await p.waitLive();
      fake.pause();  // no more data: only the clock changes once the host has gone stale
      // Going stale changes what the screen shows (and rolls the "hosts live" digits): wait for
      // it, then for the 600 ms roll to settle, before counting.
      const a = await p.waitFor('the silent host stale', (s) => s.hostStates.a === 'stale', 10000);
      await new Promise((r) => setTimeout(r, 1000));
      const b = await p.vigil();
      await new Promise((r) => setTimeout(r, 3000));   // the window over which draws are counted
      const c = await p.vigil();
      const loops = c.loops - b.loops, draws = c.draws - b.draws;
      summary('screen-idle', { loops, draws, seconds: 3 });
      assert.ok(loops > 3 * draws, `the loop ran ${loops} times but drew ${draws}: idle frames are skipped`);
      assert.ok(draws <= 2 * 3 + 2, `${draws} draws in 3 s of idleness (one per clock second, plus a margin)`);
      assert.ok(a);
    });
  } finally {
    await p.context.close();
    fake.close();
  }
});

test('a bad config.json is named on screen by key while the defaults keep the screen LIVE', async () => {
  const site = tmpDir('vigil-site-');
  fs.cpSync(env.site, site, { recursive: true });
  fs.writeFileSync(path.join(site, 'config.json'),
    JSON.stringify({ title: 'Bad config', history_s: 'abc', lang: 'xx', heartbeat: { dead_after_ms: -5 } }));
  // The same hub binary serving the copy: a later --root wins over the harness' default.
  const siteHub = new Hub({ args: ['--root', site] });
  await siteHub.start();
  const p = await openPage(browser, siteHub.url, 'screen-bad-config');
  try {
    await withArtifacts([p], async () => {
      const v = await p.waitLive();
      const keys = v.configErrors.map((e) => e.key).sort();
      assert.deepEqual(keys, ['heartbeat.dead_after_ms', 'history_s', 'lang']);
      assert.match(v.configErrors.find((e) => e.key === 'history_s').message, /abc/);
      await p.page.screenshot({ path: path.join(env.artifacts, 'screen-bad-config.png') });
    });
  } finally {
    await p.context.close();
    await siteHub.kill('SIGTERM');
  }
});
