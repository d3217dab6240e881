// A real fleet (issue 12, item 8): the hub scrapes real prometheus-node-exporter processes that
// differ (collector sets, textfile files), a target answering malformed text and one that never
// answers, from a targets JSON and a file_sd file; the page shows every exporter as a host with
// what its /metrics says, DOWN with the reason when one dies, up again when it returns, and
// follows file_sd edits, all without a reload.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const WebSocket = require('ws');
const { launchBrowser, Hub, openPage, withArtifacts, summary, tmpDir, until, hold, fetchJson } = require('./lib/harness');
const { NodeExporter, BINARY, valueOf, memPct, malformedTarget, silentTarget } = require('./tools/node_exporters');

const skip = fs.existsSync(BINARY) ? false : `no node_exporter at ${BINARY} (shell/setup.sh installs prometheus-node-exporter)`;
const INTERVAL = 1000;

// Textfile series a user mapping turns into the key `ups`: a value per exporter that no other
// source has, so the wall shows *this* exporter's number.
const ups = (v) => `# HELP vigil_test_ups_load_percent UPS load.\n# TYPE vigil_test_ups_load_percent gauge\nvigil_test_ups_load_percent ${v}\n`;

// A textfile counter of 1000 per second (its value: 1000 x Unix seconds, less `bytesBase`),
// rewritten every 20 ms; the mapping `bytes_rate` reads it as a rate.
const bytes = (v) => `# HELP vigil_test_bytes_total Bytes.\n# TYPE vigil_test_bytes_total counter\nvigil_test_bytes_total ${v}\n`;
let bytesBase = 0;
let bytesTicker = null;

const ex = {
  // Package defaults (~1,000 series) plus textfiles.
  'node-a': new NodeExporter({ name: 'node-a', textfiles: { 'ups.prom': ups(41.5), 'bytes.prom': bytes(Date.now()) } }),
  // A few collectors plus a textfile.
  'node-b': new NodeExporter({ name: 'node-b', collectors: ['cpu', 'meminfo', 'loadavg', 'netdev'], textfiles: { 'ups.prom': ups(77.25) } }),
  // No meminfo, no textfile: no mem and no ups on the wall.
  'node-c': new NodeExporter({ name: 'node-c', collectors: ['cpu', 'loadavg'] }),
  // From the file_sd file; no loadavg.
  'node-d': new NodeExporter({ name: 'node-d', collectors: ['cpu', 'meminfo'], textfiles: { 'ups.prom': ups(12) } }),
  // Added to the file_sd file mid-test.
  'node-e': new NodeExporter({ name: 'node-e', collectors: ['loadavg'] }),
};
const expectKeys = {
  'node-a': { has: ['cpu', 'mem', 'load1', 'ups'], not: [] },
  'node-b': { has: ['cpu', 'mem', 'load1', 'ups'], not: [] },
  'node-c': { has: ['cpu', 'load1'], not: ['mem', 'ups'] },
  'node-d': { has: ['cpu', 'mem', 'ups'], not: ['load1'] },
};
const labels = { 'node-a': { site: 'A', rack: 'r1' }, 'node-b': { site: 'A', rack: 'r2' }, 'node-c': { site: 'B', rack: 'r1' } };
const good = Object.keys(expectKeys);

let hub, browser, page, bad, silent, dir, sdFile, feed;

// The hub's frames as a second client sees them: what the wall is fed, per host.
function hubFeed(url) {
  const f = { frames: [], catalog: null, catalogs: 0, ws: new WebSocket(url, { perMessageDeflate: false }) };
  f.ws.on('open', () => f.ws.send(JSON.stringify({ type: 'hello', v: 1, client: 'real-fleet-feed', history_s: 0 })));
  f.ws.on('message', (d) => {
    const m = JSON.parse(d.toString());
    if (m.type === 'catalog') { f.catalog = m; ++f.catalogs; }
    if (m.type === 'samples') {
      f.frames.push({ at: Date.now(), ...m });
      if (f.frames.length > 600) f.frames.splice(0, 100);
    }
  });
  f.ws.on('error', () => {});
  f.next = (after) => until('a frame from the hub', () => f.frames.find((x) => x.at > after), 5 * INTERVAL, 10);
  return f;
}

function sdGroups(ids) {
  const site = { 'node-d': 'B', 'node-e': 'C' };
  return JSON.stringify(ids.map((id) => ({ targets: [ex[id].address], labels: { instance: id, site: site[id] } })));
}

test.before(async () => {
  if (skip) return;
  await Promise.all(Object.values(ex).map((e) => e.start()));
  bytesTicker = setInterval(() => ex['node-a'].setTextfile('bytes.prom', bytes(Date.now() - bytesBase)), 20);
  bad = await malformedTarget();
  silent = await silentTarget();
  dir = tmpDir('vigil-fleet-');
  fs.mkdirSync(path.join(dir, 'sd'));
  sdFile = path.join(dir, 'sd', 'nodes.json');
  fs.writeFileSync(sdFile, sdGroups(['node-d']));
  const targets = {
    interval_s: INTERVAL / 1000,
    mappings: [{ key: 'ups', metric: 'vigil_test_ups_load_percent', kind: 'gauge', label: 'UPS load', unit: '%', warn: 80, crit: 95 },
      { key: 'bytes_rate', metric: 'vigil_test_bytes_total', kind: 'rate', label: 'Bytes', unit: 'B/s' }],
    targets: [
      ...['node-a', 'node-b', 'node-c'].map((id) => ({ address: ex[id].address, host: id, labels: labels[id] })),
      { address: bad.address, host: 'bad-text', labels: { site: 'B' } },
      { address: silent.address, host: 'no-answer', labels: { site: 'B' } },
    ],
    file_sd: [{ path: 'sd/nodes.json' }],
  };
  const file = path.join(dir, 'targets.json');
  fs.writeFileSync(file, JSON.stringify(targets, null, 1));
  hub = await new Hub({ args: ['--no-local', '--interval-ms', String(INTERVAL), '--targets', file] }).start();
  feed = hubFeed(hub.wsUrl);
  browser = await launchBrowser();
  page = await openPage(browser, hub.url, 'real-fleet', { viewport: { width: 1920, height: 1080 } });
});
test.after(async () => {
  clearInterval(bytesTicker);
  feed?.ws.terminate();
  await page?.close();
  await browser?.close();
  await hub?.kill('SIGTERM');
  await Promise.all(Object.values(ex).map((e) => e.kill()));
  await bad?.close();
  await silent?.close();
});

const within = (x, lo, hi, tol) => x >= Math.min(lo, hi) - tol && x <= Math.max(lo, hi) + tol;

test('every node_exporter is a host on the wall with the values its /metrics says and its labels', { skip }, async () => {
  await withArtifacts([page], async () => {
    await page.waitFor('LIVE with the four exporters fresh', (s) => s.state === 'LIVE' && good.every((h) => s.hostStates[h] === 'fresh'), 30000);
    // Bracket each host's frame between two reads of its /metrics: memory and load move while we look.
    const before = {};
    for (const h of good) before[h] = await ex[h].metricsText();
    const t0 = Date.now();
    // The third frame after the reads: every scrape it carries began after them.
    let frame = await feed.next(t0);
    for (let i = 0; i < 2; ++i) frame = await feed.next(frame.at);
    const after = {};
    for (const h of good) after[h] = await ex[h].metricsText();
    for (const h of good) {
      const got = frame.hosts[h];
      assert.ok(got, `${h} has values in the frame (${JSON.stringify(frame.down || {})})`);
      for (const k of expectKeys[h].has) assert.ok(Number.isFinite(got[k]), `${h}.${k} is on the wall (${JSON.stringify(got)})`);
      for (const k of expectKeys[h].not) assert.equal(got[k], undefined, `${h} has no ${k}: its exporter has no such collector`);
      assert.ok(got.cpu >= 0 && got.cpu <= 100, `${h}.cpu ${got.cpu} in 0..100`);
      if (got.mem !== undefined) {
        assert.ok(within(got.mem, memPct(before[h]), memPct(after[h]), 0.5),
          `${h}.mem ${got.mem} is 100 x (1 - MemAvailable/MemTotal) of its /metrics (${memPct(before[h])} .. ${memPct(after[h])})`);
      }
      if (got.load1 !== undefined) {
        assert.ok(within(got.load1, valueOf(before[h], 'node_load1'), valueOf(after[h], 'node_load1'), 0.01),
          `${h}.load1 ${got.load1} is node_load1 (${valueOf(before[h], 'node_load1')} .. ${valueOf(after[h], 'node_load1')})`);
      }
      if (got.ups !== undefined) assert.equal(got.ups, valueOf(after[h], 'vigil_test_ups_load_percent'), `${h}.ups is its textfile's value`);
    }
    // Labels in the catalog and on the page.
    const cat = Object.fromEntries(feed.catalog.hosts.map((x) => [x.id, x]));
    for (const h of Object.keys(labels)) assert.deepEqual(cat[h].labels, labels[h], `${h}'s labels in the catalog`);
    const w = await page.vigil();
    for (const h of Object.keys(labels)) assert.deepEqual(w.hostLabels[h], labels[h], `${h}'s labels in window.vigil.hostLabels`);
    assert.equal(w.hostLabels['node-d'].site, 'B', 'a file_sd group\'s labels reach the page');
    const tiles = new Set(w.tiles.map((t) => t.host));
    for (const h of good) assert.ok(tiles.has(h), `${h} has a tile (${[...tiles].join(', ')})`);
    // The first host's values (window.vigil.values) are those of a frame the hub sent.
    const first = feed.catalog.hosts[0].id;
    assert.equal(first, 'node-a', 'the catalog keeps the targets\' order');
    const sent = await until(`the page's seq ${w.seq} among the frames the hub sent`, () => feed.frames.find((x) => x.seq === w.seq), 3 * INTERVAL, 10);
    for (const k of Object.keys(sent.hosts[first])) assert.equal(w.values[k], sent.hosts[first][k], `the page shows ${first}.${k} as sent`);
    assert.equal(w.values.ups, 41.5);
    // The exporter's textfile changes: the wall follows its /metrics.
    ex['node-a'].setTextfile('ups.prom', ups(63.25));
    await page.waitFor('node-a ups 63.25 on the wall', (s) => s.values.ups === 63.25, 5 * INTERVAL);
    summary('real-fleet-values', Object.fromEntries(good.map((h) => [h, Object.entries(frame.hosts[h]).filter(([k]) => ['cpu', 'mem', 'load1', 'ups'].includes(k)).map(([k, x]) => `${k}:${x}`).join('/')])));
  });
});

test('the malformed and the never-answering targets are DOWN with their reasons; the other hosts\' frames keep coming', { skip }, async () => {
  await withArtifacts([page], async () => {
    const v = await page.waitFor('bad-text and no-answer DOWN', (s) => s.hostsDown && s.hostsDown['bad-text'] && s.hostsDown['no-answer'], 15000);
    assert.match(v.hostsDown['bad-text'].reason, /^unreadable body: line \d+: /);
    assert.match(v.hostsDown['no-answer'].reason, /^timeout after \d+ ms$/);
    assert.ok(v.downCount >= 2);
    for (const id of ['bad-text', 'no-answer']) {
      const tile = v.tiles.find((t) => t.host === id);
      assert.ok(tile, `${id} has a tile`);
      assert.match(tile.text, /UNREACHABLE: .+, since \d\d:\d\d:\d\d/, `${id}'s tile says why (${tile.text})`);
      assert.ok(tile.text.includes(v.hostsDown[id].reason), `${id}'s tile names the reason`);
      assert.equal(tile.state, 'down');
    }
    const targets = Object.fromEntries((await fetchJson(`${hub.url}targets`)).map((t) => [t.host, t]));
    assert.equal(targets['bad-text'].up, false);
    assert.equal(targets['no-answer'].up, false);
    assert.equal(targets['bad-text'].reason, v.hostsDown['bad-text'].reason, '/targets and the wall agree');
    assert.ok(targets['node-a'].up && targets['node-a'].duration_ms >= 0);
    assert.ok(silent.accepted >= 1 && bad.requests >= 1, 'the hub did try them');
    // Six intervals with the two bad targets in every round: the page applies a frame per
    // interval and every frame carries every good host.
    const f0 = v.frames;
    const from = Date.now();
    for (let i = 0; i < 6; ++i) {
      await hold(INTERVAL);
      const s = await page.vigil();
      for (const h of good) assert.equal(s.hostStates[h], 'fresh', `${h} stays fresh while the bad targets hang`);
    }
    const w = await page.vigil();
    const frames = feed.frames.filter((x) => x.at > from);
    assert.ok(w.frames - f0 >= 5, `the page applied ${w.frames - f0} frames in 6 intervals`);
    assert.ok(frames.length >= 5, `the hub sent ${frames.length} frames in 6 intervals`);
    for (const fr of frames) {
      for (const h of good) assert.ok(fr.hosts[h] && Number.isFinite(fr.hosts[h].cpu), `frame ${fr.seq} carries ${h}`);
      assert.ok(fr.down && fr.down['bad-text'] && fr.down['no-answer'], `frame ${fr.seq} lists the two DOWN`);
      assert.equal(fr.hosts['bad-text'], undefined, 'a DOWN host has no values');
    }
    summary('real-fleet-bad-targets', { frames_6_intervals: w.frames - f0, bad_reason: v.hostsDown['bad-text'].reason, timeout_reason: v.hostsDown['no-answer'].reason });
  });
});

test('an exporter killed is DOWN on the wall within 2 intervals with the reason; restarted, it is up again without a reload', { skip }, async () => {
  await withArtifacts([page], async () => {
    await page.waitFor('node-b fresh', (s) => s.hostStates['node-b'] === 'fresh' && !(s.hostsDown || {})['node-b'], 15000);
    await ex['node-b'].kill('SIGKILL');
    const killedAt = Date.now();
    // On the wall: in the page's model and on its tile as last drawn.
    const tileOf = (s, id) => s.tiles.find((t) => t.host === id) || {};
    const v = await page.waitFor('node-b DOWN on its tile', (s) => s.hostsDown && s.hostsDown['node-b'] && /UNREACHABLE/.test(tileOf(s, 'node-b').text || ''),
      2 * INTERVAL + 3000, 20);
    const downMs = Date.now() - killedAt;
    assert.equal(v.hostsDown['node-b'].reason, 'connection refused');
    assert.ok(downMs <= 2 * INTERVAL + 500, `DOWN on the wall ${downMs} ms after the kill (2 intervals: ${2 * INTERVAL} ms)`);
    assert.ok(v.hostsDown['node-b'].since >= killedAt - INTERVAL && v.hostsDown['node-b'].since <= Date.now(), 'since: when it failed');
    const tile = tileOf(v, 'node-b');
    assert.equal(tile.state, 'down');
    assert.match(tile.text, /UNREACHABLE: connection refused, since \d\d:\d\d:\d\d/);
    for (const h of good.filter((x) => x !== 'node-b')) assert.equal(v.hostStates[h], 'fresh', `${h} unaffected`);
    await ex['node-b'].start();  // same port, same collectors and textfile
    const startedAt = Date.now();
    const up = await page.waitFor('node-b up again', (s) => !(s.hostsDown || {})['node-b'] && s.hostStates['node-b'] === 'fresh' && tileOf(s, 'node-b').state !== 'down',
      2 * INTERVAL + 3000, 20);
    const upMs = Date.now() - startedAt;
    const t = up.tiles.find((x) => x.host === 'node-b');
    assert.ok(!/UNREACHABLE/.test(t.text || '') && t.state !== 'down', `node-b's tile no longer says UNREACHABLE (${t.state}: ${t.text})`);
    const fr = await feed.next(Date.now());
    assert.equal(fr.hosts['node-b'].ups, 77.25, 'its values are back');
    await page.assertNotReloaded();
    summary('real-fleet-kill', { down_ms: downMs, up_ms: upMs, interval_ms: INTERVAL });
  });
});

test('a file_sd edit adds a host to the wall and then removes it, without a reload', { skip }, async () => {
  await withArtifacts([page], async () => {
    const v0 = await page.waitFor('node-d from file_sd, no node-e', (s) => s.hostStates['node-d'] === 'fresh' && s.hostStates['node-e'] === undefined, 15000);
    const catalogs = feed.catalogs;
    // Rewritten in place, as an editor that truncates does.
    fs.writeFileSync(sdFile, sdGroups(['node-d', 'node-e']));
    const v1 = await page.waitFor('node-e on the wall', (s) => s.hostStates['node-e'] === 'fresh' && s.tiles.some((t) => t.host === 'node-e'), 15000);
    assert.equal(v1.hosts, v0.hosts + 1);
    assert.equal(v1.hostLabels['node-e'].site, 'C');
    const fr = await feed.next(Date.now());
    assert.ok(Number.isFinite(fr.hosts['node-e'].load1), 'node-e has its load1');
    // Replaced by a rename, as configuration tools do.
    const tmp = `${sdFile}.tmp`;
    fs.writeFileSync(tmp, sdGroups(['node-d']));
    fs.renameSync(tmp, sdFile);
    const v2 = await page.waitFor('node-e gone', (s) => s.hostStates['node-e'] === undefined && !s.tiles.some((t) => t.host === 'node-e'), 15000);
    assert.equal(v2.hosts, v0.hosts);
    assert.equal(v2.hostStates['node-d'], 'fresh', 'node-d stays');
    assert.ok(feed.catalogs >= catalogs + 2, 'two new catalogs sent');
    await page.assertNotReloaded();
  });
});

test('a textfile counter mapped as a rate is 1000/s on the wall; a counter reset gives no negative value and no spike', { skip }, async () => {
  await withArtifacts([page], async () => {
    // node-a is the first host: window.vigil.values are its values.
    await page.waitFor('node-a bytes_rate on the wall', (s) => Number.isFinite(s.values.bytes_rate), 10 * INTERVAL);
    const rates = async (n) => {
      const got = [];
      let fr = await feed.next(Date.now());
      for (let i = 0; i < n; ++i, fr = await feed.next(fr.at)) {
        const wall = (await page.vigil()).values.bytes_rate;
        got.push({ seq: fr.seq, hub: fr.hosts['node-a'] && fr.hosts['node-a'].bytes_rate, wall });
      }
      return got;
    };
    const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // The textfile is rewritten every 20 ms, so a reading is up to ~20 ms (plus timer lag) old:
    // each rate within 25 %, their median within 10 %. A rate per ms or per interval, or over
    // two scrapes' time, would be far off.
    const steady = await rates(6);
    const hubRates = steady.map((x) => x.hub).filter(Number.isFinite);
    assert.ok(hubRates.length >= 5, `bytes_rate in most frames (${JSON.stringify(steady)})`);
    for (const x of steady) {
      if (x.hub !== undefined) assert.ok(x.hub >= 750 && x.hub <= 1250, `frame ${x.seq}: bytes_rate ${x.hub} is ~1000/s`);
      if (x.wall !== undefined) assert.ok(x.wall >= 750 && x.wall <= 1250, `the wall shows ${x.wall} ~1000/s`);
    }
    assert.ok(Math.abs(median(hubRates) - 1000) <= 100, `median bytes_rate ${median(hubRates)} is 1000/s (${hubRates.join(', ')})`);

    // A reset (the exporter's process restarted): the counter starts again from ~500.
    bytesBase = Date.now() - 500;
    const after = await rates(6);
    for (const x of after) {
      for (const [where, v] of [['hub', x.hub], ['wall', x.wall]]) {
        if (v === undefined) continue;
        assert.ok(Number.isFinite(v) && v >= 0, `after the reset (${where}, frame ${x.seq}): ${v}, a rate must not be negative`);
        assert.ok(v <= 1250, `after the reset (${where}, frame ${x.seq}): ${v}, a rate must not spike`);
      }
    }
    const back = after.slice(-3).map((x) => x.hub);
    assert.ok(back.every((v) => v >= 750 && v <= 1250), `the rate is 1000/s again after the reset (${JSON.stringify(after)})`);
    summary('real-fleet-rate', { steady: hubRates.map((v) => Math.round(v)).join('/'), after_reset: after.map((x) => (x.hub === undefined ? '-' : Math.round(x.hub))).join('/') });
  });
});
