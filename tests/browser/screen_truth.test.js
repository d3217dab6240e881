// What the screen says is what the page knows (issue 10, items 4-7), end to end in the page
// against a scripted protocol hub (tools/scripted_hub.js): a replay is CATCHING UP, never LIVE;
// a connected page with no frame yet is WAITING, not STALE; a kiosk that boots before its hub is
// CONNECTING until its first open; a metric the frames stop carrying goes stale while its host
// stays fresh; a catalog sent again replaces the host list; samples for hosts it does not list
// and typeless objects after welcome are refused and counted; hosts beyond the cap are counted;
// a hub alarm holds over the page's thresholds; a pong with only `t` is fine.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { env, launchBrowser, Hub, openPage, withArtifacts, summary, freePort, until } = require('./lib/harness');
const { ScriptedHub } = require('./tools/scripted_hub');

let hub, browser;
test.before(async () => {
  hub = await new Hub().start();  // serves the page only
  browser = await launchBrowser();
});
test.after(async () => {
  await browser?.close();
  await hub?.kill('SIGTERM');
});

async function withScripted(opts, name, body, query = '') {
  const fake = await new ScriptedHub(opts).start();
  const p = await openPage(browser, `${hub.url}?ws=${encodeURIComponent(fake.url)}${query}`, name);
  try {
    await withArtifacts([p], () => body(p, fake));
  } finally {
    await p.context.close();
    fake.close();
  }
}

test('a replay is CATCHING UP with its progress, never LIVE; LIVE comes after live and a live frame', async () => {
  // 40 backlog frames 50 ms apart: a 2 s replay the page can be watched in.
  await withScripted({ intervalMs: 1000, backlog: 40, replayEveryMs: 50 }, 'truth-catching-up', async (p, fake) => {
    await p.startRecorder();
    const mid = await p.waitFor('CATCHING_UP with progress', (v) => v.state === 'CATCHING_UP' && v.catchUp && v.catchUp.done > 0, 15000, 20);
    assert.equal(mid.catchUp.total, 40, 'the backlog is the welcome head minus nothing applied');
    assert.ok(mid.catchUp.done <= mid.catchUp.total);
    const live = await p.waitLive();
    assert.equal(live.catchUp, null);
    // The recorder samples every 20 ms: wait for it to have seen LIVE too, not only window.vigil.
    const hist = await until('the recorder saw LIVE', async () => {
      const h = await p.history();
      return h.some((c) => c.state === 'LIVE') && h;
    }, 5000, 50);
    const firstLive = hist.findIndex((c) => c.state === 'LIVE');
    const lastCatchUp = hist.map((c) => c.state).lastIndexOf('CATCHING_UP');
    assert.ok(firstLive > lastCatchUp, `LIVE only after the replay (${hist.map((c) => c.state).join(' > ')})`);
    assert.ok(hist[firstLive].wall >= fake.liveAt[0], 'LIVE not before the hub sent live');
    assert.ok(live.replayed >= 40, `the backlog counted as replayed (${live.replayed})`);
    summary('truth-catching-up', { states: [...new Set(hist.map((c) => c.state))].join('>') });
  });
});

test('a connected page with no frame yet is WAITING (not STALE) for 3 intervals, then LIVE with the first frame', async () => {
  await withScripted({ intervalMs: 1000, firstFrameDelayMs: 2000 }, 'truth-waiting', async (p) => {
    await p.startRecorder();
    await p.waitLive();
    const states = (await p.history()).map((c) => c.state);
    assert.ok(states.includes('WAITING'), `WAITING seen (${states.join(' > ')})`);
    assert.ok(!states.includes('STALE'), `never STALE while waiting 2 s < 3 intervals (${states.join(' > ')})`);
  });
});

test('a kiosk that boots before its hub is CONNECTING (attempt n, retry in N s) until its first open', async () => {
  const port = await freePort();
  const late = new ScriptedHub({ intervalMs: 500, port });
  const p = await openPage(browser, `${hub.url}?ws=${encodeURIComponent(`ws://127.0.0.1:${port}/`)}`, 'truth-kiosk-boot');
  try {
    await withArtifacts([p], async () => {
      await p.startRecorder();
      const waiting = await p.waitFor('three attempts while nothing listens', (v) => v.attempts >= 3, 20000, 50);
      assert.equal(waiting.opens, 0);
      await late.start();
      await p.waitLive();
      const hist = await p.history();
      const beforeOpen = hist.filter((c) => c.opens === 0);
      const states = [...new Set(beforeOpen.map((c) => c.state))];
      assert.deepEqual(states, ['CONNECTING'], `CONNECTING only until the first open (saw ${states.join(', ')})`);
      assert.ok(beforeOpen.some((c) => c.attempt >= 2 && c.nextTryInMs !== null), 'the attempt and the next try are shown');
    });
  } finally {
    await p.context.close();
    late.close();
  }
});

test('a metric the frames stop carrying is reported stale within 3 + 1 intervals while its host stays fresh', async () => {
  const interval = 1000;
  await withScripted({ intervalMs: interval }, 'truth-metric-stale', async (p, fake) => {
    await p.waitFor('LIVE with net values', (v) => v.state === 'LIVE' && v.values.net_rx !== undefined && v.valuesStale.length === 0, 20000);
    const stoppedAt = Date.now();
    fake.omit.add('net_rx');
    fake.omit.add('net_tx');
    const v = await p.waitFor('net_rx and net_tx stale', (s) => s.valuesStale.includes('net_rx') && s.valuesStale.includes('net_tx'),
      (3 + 1) * interval + 3000, 50);
    const after = Date.now() - stoppedAt;
    assert.ok(after >= 2 * interval, `stale after ${after} ms: not before 3 intervals (minus one frame in flight)`);
    assert.equal(v.hostStates.a, 'fresh', 'the host itself stays fresh');
    assert.equal(v.state, 'LIVE');
    assert.ok(!v.valuesStale.includes('cpu'), 'cpu still reads');
    assert.ok(v.valueAgesMs.net_rx > 3 * interval, `its age is told (${v.valueAgesMs.net_rx} ms)`);
    assert.deepEqual(v.metricsStale, { a: ['net_rx', 'net_tx'] });
    assert.ok(v.focusKeys.includes('net_rx'), 'still in the focus panel, drawn as no reading');
    await p.page.screenshot({ path: path.join(env.artifacts, 'truth-metric-stale.png') });
    summary('truth-metric-stale', { stale_after_ms: after, interval_ms: interval });
    fake.omit.clear();
    await p.waitFor('net values read again', (s) => s.valuesStale.length === 0, 10000);
  });
});

test('a catalog sent again replaces the host list: a host it drops leaves the screen and the counts', async () => {
  await withScripted({ intervalMs: 500, hosts: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] }, 'truth-catalog', async (p, fake) => {
    await p.waitFor('three hosts live', (v) => v.state === 'LIVE' && v.hosts === 3 && v.tiles.length === 3, 20000);
    fake.hosts = fake.hosts.filter((h) => h.id !== 'b');
    fake.sendCatalog();
    const v = await p.waitFor('two hosts', (s) => s.hosts === 2 && s.tiles.length === 2, 10000);
    assert.equal(v.hostStates.b, undefined);
    assert.deepEqual(v.tiles.map((t) => t.host).sort(), ['a', 'c']);
    assert.equal(v.hostsStale, 0, 'the dropped host is not left behind as a stale tile');
  });
});

test('samples for a host not in the catalog are ignored and counted; a typeless object after welcome is bad_type', async () => {
  await withScripted({ intervalMs: 500 }, 'truth-unknown', async (p, fake) => {
    await p.waitLive();
    fake.extraHosts.ghost = { cpu: 50 };
    const v = await p.waitFor('the ghost counted', (s) => s.unknownHosts === 1 && s.unknownHostSamples >= 2, 10000);
    assert.equal(v.hosts, 1);
    assert.equal(v.hostStates.ghost, undefined);
    assert.equal(v.state, 'LIVE', 'the known host still applies');
    const before = v.rejectedByKind.bad_type;
    fake.broadcast('{"cpu": 42.5, "mem": 17}');
    const w = await p.waitFor('bad_type counted', (s) => s.rejectedByKind.bad_type === before + 1, 10000);
    assert.equal(w.legacy, 0);
    assert.equal(w.hostStates.backend, undefined, 'no host called backend');
  });
});

test('hosts beyond the page\'s cap are counted and shown, not dropped silently', async () => {
  // The page's cap is 5,000 hosts (model/fleet.h FleetLimits; the overview shows that many).
  const hosts = Array.from({ length: 5008 }, (_, i) => ({ id: `h${String(i).padStart(4, '0')}`, metrics: ['cpu'] }));
  await withScripted({ intervalMs: 1000, hosts }, 'truth-caps', async (p) => {
    const v = await p.waitFor('5,000 hosts and 8 not shown', (s) => s.hosts === 5000 && s.hostsNotShown === 8, 60000, 500);
    assert.equal(v.unknownHosts, 0, 'hosts over the cap are in the catalog: not unknown');
    await p.page.screenshot({ path: path.join(env.artifacts, 'truth-caps.png') });
  });
});

test('a wide incident past the alarm board\'s 4,096: every crit is on the board, the warns not shown are counted on screen', async () => {
  // 5,000 hosts (the page's cap) in alarm: 4,500 warn, then 500 crit (model/alarms.h kDefaultMaxActive 4,096).
  const hosts = Array.from({ length: 5000 }, (_, i) => ({ id: `h${String(i).padStart(4, '0')}`, metrics: ['cpu'],
    values: { cpu: i < 4500 ? 85 : 99 }, thresholds: { cpu: { warn: 80, crit: 95 } } }));
  await withScripted({ intervalMs: 1000, hosts }, 'truth-alarm-board-full', async (p) => {
    const v = await p.waitFor('5,000 hosts in alarm', (s) => s.hosts === 5000 && s.alarms + s.alarmsNotShown === 5000, 60000, 500);
    assert.equal(v.alarms, 4096, 'the board is full');
    assert.equal(v.alarmsCrit, 500, 'every crit is on the board: the warns made room');
    assert.equal(v.alarmsNotShown, 904);
    assert.match(v.notices[0], /^904 alarms not shown/, `said on screen: ${JSON.stringify(v.notices)}`);
    summary('truth-alarm-board-full', { alarms: v.alarms, crit: v.alarmsCrit, not_shown: v.alarmsNotShown, notice: v.notices[0] });
  });
});

test('a hub alarm holds over the page\'s own thresholds until the hub clears it', async () => {
  const hosts = [{ id: 'a', metrics: ['cpu'], values: { cpu: 10 }, thresholds: { cpu: { warn: 80, crit: 95 } } }];
  await withScripted({ intervalMs: 300, hosts }, 'truth-hub-alarm', async (p, fake) => {
    await p.waitLive();
    fake.broadcast(JSON.stringify({ type: 'alarm', host: 'a', metric: 'cpu', level: 'crit', value: 97, t: Date.now() }));
    await p.waitFor('the hub alarm', (s) => s.alarmsCrit === 1, 10000);
    const seq = (await p.vigil()).seq;
    const later = await p.waitFor('five more frames at cpu 10', (s) => s.seq >= seq + 5, 10000);
    assert.equal(later.alarmsCrit, 1, 'frames below the page\'s thresholds do not clear the hub\'s alarm');
    fake.broadcast(JSON.stringify({ type: 'alarm', host: 'a', metric: 'cpu', level: 'ok', value: 10, t: Date.now() }));
    await p.waitFor('cleared by the hub', (s) => s.alarms === 0, 10000);
  });
});

test('a pong with only t (no hub_t) is accepted: no rejection per ping', async () => {
  // Frames every 5 s leave the link quiet for 2 s: the page pings between them.
  await withScripted({ intervalMs: 5000, pongHubT: false }, 'truth-pong', async (p, fake) => {
    await p.waitLive(30000);
    const v = await p.waitFor('two pings answered', (s) => s.pingsSent >= 2 && s.rttMs !== null, 20000);
    assert.equal(v.rejected, 0, `nothing rejected (${JSON.stringify(v.rejectedByKind)})`);
    assert.ok(fake.pings >= 2);
  });
});
