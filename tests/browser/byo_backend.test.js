// Bring your own backend (config.json `source`, README): a page on static hosting, no Vigil hub,
// fed by three small Node backends (tools/byo_backend.js) pushing their own JSON in the three
// shapes. Each: the hosts with the right values in window.vigil, the heartbeat text reaching the
// backend, liveness proven by the configured reply (a backend that never answers it is declared
// dead and reconnected), STALE when it stops pushing. Bad mappings and bad messages are named and
// counted; good hosts in a bad message still count.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { env, launchBrowser, openPage, withArtifacts, summary } = require('./lib/harness');
const { SiteServer } = require('./tools/site_server');
const { ByoBackend } = require('./tools/byo_backend');

const INTERVAL = 300;
const EVERY = 1000, DEAD = 2500;  // heartbeat every 1 s; dead after 2.5 s without the reply

const SHAPES = {
  array: {
    backend: { heartbeat: 'ping', reply: 'pong' },
    source: { hosts: '/servers/*', id: '/name', values: { cpu: '/cpu', mem: '/memory/used_pct' }, time: '/ts', time_unit: 'ms',
      heartbeat: { send: 'ping', every_ms: EVERY, dead_after_ms: DEAD }, alive: { text: 'pong' } },
  },
  keyed: {
    backend: { heartbeat: '{"type":"ping"}', reply: '{"type":"pong"}' },
    source: { hosts: '/hosts/*', id: '@key', values: { cpu: '/cpu', mem: '/mem' }, time: '/t', time_unit: 's',
      heartbeat: { send: '{"type":"ping"}', every_ms: EVERY, dead_after_ms: DEAD }, alive: { field: '/type', equals: 'pong' } },
  },
  per_host: {
    // alive "any": the data proves it alive; the heartbeat goes out only when the backend is quiet.
    backend: { heartbeat: 'hb', reply: 'ok' },
    source: { hosts: '', id: '/host', values: { cpu: '/cpu', mem: '/mem' },
      heartbeat: { send: 'hb', every_ms: EVERY, dead_after_ms: DEAD }, alive: { any: true } },
  },
};

let browser;
test.before(async () => { browser = await launchBrowser(); });
test.after(async () => { await browser?.close(); });

async function withSource(shape, { backend: backendOpts = {}, source: sourceOpts = {}, config = {} } = {}) {
  const backend = await new ByoBackend({ shape, intervalMs: INTERVAL, ...SHAPES[shape].backend, ...backendOpts }).start();
  const source = { url: backend.url, interval_ms: INTERVAL, ...SHAPES[shape].source, ...sourceOpts };
  const site = await new SiteServer({ root: env.site, config: { title: `byo ${shape}`, source, ...config } }).start();
  const p = await openPage(browser, site.url, `byo-${shape}`);
  return { backend, site, p, async close() { await p.close(); await backend.close(); await site.stop(); } };
}

for (const shape of Object.keys(SHAPES)) {
  test(`${shape}: hosts and values shown, heartbeat received, kept alive by the reply, STALE when the pushes stop`, async () => {
    const s = await withSource(shape, { config: { thresholds: { cpu: { warn: 50, crit: 90 } } } });
    const { backend, p } = s;
    try {
      await withArtifacts([p], async () => {
        let v = await p.waitFor('LIVE with both hosts', (x) => x.state === 'LIVE' && x.hostValues['db-01'] && x.hostValues['web-01'], 30000);
        assert.deepEqual(v.hostValues['db-01'], { cpu: 12.5, mem: 40 });
        assert.deepEqual(v.hostValues['web-01'], { cpu: 3.25, mem: 71 });
        assert.equal(v.source, true);
        assert.equal(v.resume, false, 'no seq, no resume');
        assert.deepEqual(v.configErrors, []);
        assert.equal(v.hostStates['db-01'], 'fresh');

        // A new value, and the config's thresholds raise an alarm as with a hub.
        backend.set('db-01', 'cpu', 95);
        v = await p.waitFor('the new value and its alarm', (x) => x.hostValues['db-01'].cpu === 95 && x.alarmsCrit >= 1, 10000);

        // Heartbeats reach the backend. With a reply rule they go out every every_ms whatever the
        // data; with "any" only when the backend is quiet (below). Past several dead_after
        // deadlines the replies (text/field) or the data (any) kept the connection.
        if (shape !== 'per_host') {
          await p.waitFor('4 heartbeats answered', () => backend.replies >= 4, 15000);
          v = await p.vigil();
          assert.ok(v.sourceAlive >= 3, `alive replies counted: ${v.sourceAlive}`);
          assert.equal(v.sourceUnmatched, 0, 'a reply is not a bad data message');
        } else {
          await p.waitFor('data past 2 dead_after deadlines', (x) => x.sourceFrames >= Math.ceil((2 * DEAD) / INTERVAL) * 2, 15000);
        }
        v = await p.vigil();
        assert.equal(v.opens, 1, 'the connection was kept');
        assert.equal(v.deadPeers, 0);
        assert.equal(backend.connections, 1);

        // The pushes stop: STALE, every host stale, the link still open (the heartbeat is answered).
        const pingsBefore = backend.pings;
        backend.pause();
        v = await p.waitFor('STALE', (x) => x.state === 'STALE' && x.hostStates['db-01'] === 'stale' && x.hostStates['web-01'] === 'stale', 10000);
        assert.equal(v.link, 'open');
        await p.waitFor('a heartbeat while quiet', () => backend.pings > pingsBefore, 5000);
        if (shape === 'per_host') {
          // The "ok" reply is a message, so the backend stays alive; it maps to no host (counted).
          v = await p.waitFor('the reply counted as unmatched', (x) => x.sourceUnmatched >= 1, 5000);
          assert.equal(v.opens, 1);
        }
        await p.assertNotReloaded();
        summary(`byo-${shape}`, { pings: backend.pings, replies: backend.replies, frames: v.sourceFrames, alive: v.sourceAlive });
      });
    } finally {
      await s.close();
    }
  });
}

for (const shape of ['array', 'keyed']) {
  test(`${shape}: a backend that pushes but never answers the heartbeat is declared dead and reconnected`, async () => {
    const s = await withSource(shape, { backend: { reply: null } });
    const { backend, p } = s;
    try {
      await withArtifacts([p], async () => {
        await p.waitFor('LIVE', (x) => x.state === 'LIVE' && x.hostValues['db-01'], 30000);
        const v = await p.waitFor('dead and reconnected', (x) => x.deadPeers >= 1 && x.opens >= 2, 15000);
        assert.match(v.lastCloseReason + ' ' + v.reason, /dead peer|no heartbeat reply/);
        assert.equal(v.sourceAlive, 0);
        assert.ok(backend.pings >= 2, `heartbeats received: ${backend.pings}`);
        assert.ok(backend.connections >= 2, 'the page connected again');
        assert.ok(v.sourceFrames > 0, 'data kept coming meanwhile');
        summary(`byo-dead-${shape}`, { pings: backend.pings, connections: backend.connections, deadPeers: v.deadPeers });
      });
    } finally {
      await s.close();
    }
  });
}

test('bad messages are counted with their reason; good hosts in the same message still count', async () => {
  const s = await withSource('array');
  const { backend, p } = s;
  try {
    await withArtifacts([p], async () => {
      await p.waitFor('LIVE', (x) => x.state === 'LIVE' && x.hostValues['db-01'], 30000);
      backend.pause();
      const before = await p.vigil();
      backend.sendRaw('{not json');
      backend.sendRaw(JSON.stringify({ other: [] }));
      backend.sendRaw(JSON.stringify({ servers: [7, { cpu: 1 }, { name: 'mixed-ok', cpu: 33, memory: { used_pct: 'lots' } }] }));
      const v = await p.waitFor('the good host of the mixed message', (x) => x.hostValues['mixed-ok'] && x.sourceMessages >= before.sourceMessages + 3, 10000);
      assert.equal(v.sourceUnmatched - before.sourceUnmatched, 2);
      assert.equal(v.sourceSkippedHosts - before.sourceSkippedHosts, 2);
      assert.equal(v.sourceSkippedValues - before.sourceSkippedValues, 1);
      assert.deepEqual(v.hostValues['mixed-ok'], { cpu: 33 });
      assert.match(v.sourceLastProblem, /not an object|id at \/name|not a number/);
      assert.equal(v.link, 'open');
      await p.assertNotReloaded();
    });
  } finally {
    await s.close();
  }
});

test('a bad mapping is named in configErrors and the page does not connect', async () => {
  const s = await withSource('array', { source: { hosts: 'servers', id: 7, values: { cpu: '/cpu/*' } } });
  const { backend, p } = s;
  try {
    await withArtifacts([p], async () => {
      const v = await p.waitFor('config errors', (x) => x.configErrors.length >= 3, 20000);
      const keys = v.configErrors.map((e) => e.key);
      for (const k of ['source.hosts', 'source.id', 'source.values.cpu']) assert.ok(keys.includes(k), `${k} named: ${keys}`);
      assert.equal(v.link, 'idle');
      assert.equal(v.liveSockets, 0);
      assert.equal(backend.connections, 0);
      assert.equal(v.source, true);
    });
  } finally {
    await s.close();
  }
});
