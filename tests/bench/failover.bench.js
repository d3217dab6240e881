// Benchmark of issue 14 (several hubs on NATS JetStream), on tests/browser/tools/ha_rig.js: a
// 3-node nats-server cluster, 3 hubs (--nats, replicas 3, the default 1 s interval, a 100-host
// simulated fleet, --no-local) and a real nginx upstream of both, all on loopback ports.
// (3 hubs, so a kill -9 can hit a standby that serves screens: see the failover loop.)
// A "screen" here is a Node `ws` protocol client through nginx that behaves like the page's link:
// hello with its cursor (resume {epoch, seq}), on an abnormal close the page's backoff (attempt n:
// 100 ms + u * (min(1300, 1000 * 2^(n-1)) - 100)), on 1012 "reconnect=now" a retry within 250 ms;
// it counts seqs missing (neither received nor announced by a gap) and frames received twice.
// (100 Chromium pages do not fit on 2 cores beside 2 hubs, 3 NATS nodes and nginx.)
// Rows:
//   failover: kill -9 of the hub serving the most screens -> each screen's first frame after the
//     new connection's `live` (what the page needs to show LIVE with fresh data), p50/p99 over
//     100 screens x the kills; split by whether the killed hub was also the writer (+ takeover)
//   rolling: SIGTERM to the busiest hub, 4 times (restarted): per screen, the longest time from a
//     close to the next `welcome` (on a hub again: the page's MAINTENANCE/RECONNECTING stretch) and
//     to the first frame after `live` (its non-LIVE stretch), p50/p99/max over the screens
//   fan-out per hub: vigil-load clients on one hub serving from JetStream (the standby of the rig)
//     and on a hub with the local journal, same fleet, same run: CPU, RSS, delivery latency
//   collector takeover: kill -9 of the writer -> the next frame on a client of the standby
// Prints numbers; asserts no timing.
'use strict';
const path = require('node:path');
const { spawn } = require('node:child_process');
const L = require('./lib.js');
const { HaRig } = require('../browser/tools/ha_rig.js');

const tools = process.env.VIGIL_BENCH_TOOLS || path.join(L.root, 'build/bench');
const SCREENS = L.quick ? 20 : 100;
const KILLS = L.quick ? 2 : 6;
const ROLLS = L.quick ? 2 : 4;
const TAKEOVERS = L.quick ? 2 : 4;
const FANOUT = L.quick ? [100] : [100, 500];
const FAN_S = L.quick ? 5 : 10;
const out = { screens: SCREENS, intervalMs: 1000 };
L.deadline('failover', 14 * 60 * 1000, () => out);

// One screen: the page's link, without drawing.
class Screen {
  constructor(url, id) {
    this.url = url; this.id = id; this.epoch = null; this.seq = 0;
    this.missing = 0; this.dupes = 0; this.attempt = 0; this.ws = null; this.live = false;
    this.closes = 0; this.closedAt = 0; this.recoveredAt = 0; this.log = null; this.stopped = false; this.longestDown = 0; this.longestAway = 0;
  }
  connect() {
    const ws = new L.WebSocket(this.url, { perMessageDeflate: false });
    this.ws = ws;
    this.live = false;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', v: 1, client: this.id,
      ...(this.epoch ? { resume: { epoch: this.epoch, seq: this.seq } } : {}) })));
    ws.on('message', (data) => this.take(data.toString()));
    ws.on('error', () => {});
    ws.on('close', (code, reason) => this.closed(code, reason.toString()));
  }
  take(text) {
    const type = (/"type":"(\w+)"/.exec(text) || [])[1];
    if (type === 'welcome') {
      const m = JSON.parse(text);
      if (this.epoch && m.epoch !== this.epoch) this.seq = 0;
      // On a hub again: where the page leaves MAINTENANCE/RECONNECTING (CATCHING UP, WAITING).
      if (this.closedAt) this.longestAway = Math.max(this.longestAway, Date.now() - this.closedAt);
      this.epoch = m.epoch;
    } else if (type === 'gap') {
      const m = JSON.parse(text);
      if (m.to > this.seq) this.seq = m.to;
    } else if (type === 'live') {
      this.live = true;
    } else if (type === 'samples') {
      const seq = Number((/"seq":(\d+)/.exec(text) || [])[1]);
      if (seq <= this.seq) { ++this.dupes; return; }
      if (this.seq && seq > this.seq + 1) this.missing += seq - this.seq - 1;
      this.seq = seq;
      if (this.log) this.log.push({ seq, t: Number((/"t":(\d+)/.exec(text) || [])[1]), at: Date.now() });
      if (this.live) {
        this.attempt = 0;  // a stable link again
        if (this.closedAt) {  // the first fresh frame since a close: back, as the page would show LIVE
          this.recoveredAt = Date.now();
          this.longestDown = Math.max(this.longestDown, this.recoveredAt - this.closedAt);
          this.closedAt = 0;
        }
      }
    }
  }
  closed(code, reason) {
    if (this.stopped) return;
    ++this.closes;
    if (!this.closedAt) this.closedAt = Date.now();
    ++this.attempt;
    let delay;
    if (code === 1012 && reason.includes('reconnect=now')) delay = Math.random() * 250;
    else {
      const ceiling = Math.min(1300, 1000 * 2 ** (this.attempt - 1));
      delay = 100 + Math.random() * (ceiling - 100);
    }
    setTimeout(() => this.connect(), delay);
  }
  stop() { this.stopped = true; this.ws?.terminate(); }
}

function runLoad(port, clients, id) {
  return new Promise((resolve) => {
    const p = spawn(path.join(tools, 'vigil-load'), ['--port', String(port), '--clients', String(clients), '--seconds', String(FAN_S),
      '--warmup-s', '2', '--id', id, '--connect-timeout-s', '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let o = '', err = '';
    p.stdout.on('data', (d) => { o += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('exit', () => { try { resolve(JSON.parse(o)); } catch { resolve({ error: `vigil-load: ${err || o.slice(0, 200)}` }); } });
  });
}
async function fanout(name, pid, port, k) {
  const mon = L.procMonitor(pid, 500);
  const t0 = Date.now();
  const r = await runLoad(port, k, `${name}-${k}`);
  mon.stop();
  const from = t0 + (r.connect_ms || 0) + 2000;
  const w = mon.window(from, from + FAN_S * 1000);
  const lat = (r.latency_us || []).map((us) => us / 1000);
  const row = { journal: name, clients: k, connected: r.connected, dropped: r.dropped, cpuPct: L.round(w.cpuPct, 1),
    rssMiB: w.rssMax === null ? null : L.round(w.rssMax / 2 ** 20, 1),
    latencyMs: { p50: L.round(L.quantile(lat, 0.5), 1), p99: L.round(L.quantile(lat, 0.99), 1) }, error: r.error };
  console.log(`# failover fan-out ${name} ${k} clients: CPU ${row.cpuPct} %, RSS ${row.rssMiB} MiB, latency p50 ${row.latencyMs.p50} p99 ${row.latencyMs.p99} ms, dropped ${row.dropped}`);
  return row;
}

const allOn = (screens, pred, what, ms = 30000) => L.until(what, () => screens.every(pred), ms, 50);

(async () => {
  out.machine = L.machine();
  const hubArgs = ['--no-local', '--max-clients', '1200'];
  const rig = await HaRig.start({ hubs: 3, simulate: 100, intervalMs: 1000, hubArgs, log: (m) => console.log(`# failover rig: ${m}`) });
  const screens = [];
  try {
    const wsUrl = `ws://127.0.0.1:${rig.nginx.port}/ws`;
    for (let i = 0; i < SCREENS; ++i) { const s = new Screen(wsUrl, `bench-screen-${i}`); screens.push(s); s.connect(); }
    await allOn(screens, (s) => s.live && s.seq > 0, 'every screen live');

    // ---- failover: kill -9 of the busiest hub -----------------------------------------------
    const failover = { standby: [], writer: [], kills: [] };
    for (let k = 0; k < KILLS; ++k) {
      // Alternately the writer and a standby, each the one of its role with most screens (3 hubs:
      // with 2, the screens of a dead writer all land on the hub that takes over from it).
      const counts = await rig.clients();
      const writer = await rig.writer();
      const role = k % 2 === 0 ? 'writer' : 'standby';
      const pick = counts.map((c, i) => [c, i]).filter(([c, i]) => c > 0 && (role === 'writer') === (i === writer));
      const victim = pick.length ? pick.sort((a, b) => b[0] - a[0])[0][1] : counts.indexOf(Math.max(...counts));
      const wasWriter = writer === victim;
      const closes = screens.map((s) => s.closes);
      const killed = Date.now();
      await rig.killHub(victim);
      // The screens that were on the victim are those its death closed.
      await L.until('the victim\'s screens closed', () => screens.filter((s, i) => s.closes > closes[i]).length >= counts[victim], 10000, 20);
      const moved = screens.filter((s, i) => s.closes > closes[i]);
      await allOn(moved, (s) => s.recoveredAt > killed && s.closedAt === 0, `kill ${k}: every moved screen fresh again`);
      (wasWriter ? failover.writer : failover.standby).push(...moved.map((s) => s.recoveredAt - killed));
      failover.kills.push({ victim: `hub${victim}`, wasWriter, screensMoved: moved.length });
      await rig.hubs[victim].start();
      await rig.waitRouted(victim);
      console.log(`# failover kill ${k}: hub${victim}${wasWriter ? ' (writer)' : ''}, ${moved.length} screens moved, ` +
        `to fresh data p50 ${L.quantile(moved.map((s) => s.recoveredAt - killed), 0.5)} ms`);
    }
    out.failover = failover;
    console.log(JSON.stringify(failover.kills));
    out.failoverStats = { standby: L.describe(failover.standby), writer: L.describe(failover.writer) };
    console.log(`# failover (kill -9 of the serving standby) to fresh data ms: ${JSON.stringify(out.failoverStats.standby)}`);
    console.log(`# failover (kill -9 of the serving writer) to fresh data ms: ${JSON.stringify(out.failoverStats.writer)}`);

    // ---- rolling upgrade ------------------------------------------------------------------------
    for (const s of screens) { s.longestDown = 0; s.longestAway = 0; }
    for (let k = 0; k < ROLLS; ++k) {
      const counts = await rig.clients();
      const i = counts.indexOf(Math.max(...counts));
      const n = counts[i];
      const closes = screens.map((s) => s.closes);
      await rig.termHub(i);
      await L.until(`SIGTERM ${k}: its screens closed`, () => screens.filter((s, j) => s.closes > closes[j]).length >= n, 10000, 20);
      await allOn(screens, (s) => s.closedAt === 0 && s.live, `every screen live after SIGTERM ${k}`);
      await rig.hubs[i].start();
      await rig.waitRouted(i);
    }
    out.rolling = { sigterms: ROLLS, longestNonLiveMs: L.describe(screens.map((s) => s.longestDown)),
      longestAwayMs: L.describe(screens.map((s) => s.longestAway)) };
    console.log(`# failover rolling: longest close -> live+frame per screen ms: ${JSON.stringify(out.rolling.longestNonLiveMs)}`);
    console.log(`# failover rolling: longest close -> welcome on another hub per screen ms: ${JSON.stringify(out.rolling.longestAwayMs)}`);

    // ---- collector takeover ---------------------------------------------------------------------
    const takeovers = [];
    for (let k = 0; k < TAKEOVERS; ++k) {
      const w = await L.until('a writer', async () => { const i = await rig.writer(); return i >= 0 ? i + 1 : 0; }, 10000, 50) - 1;
      const standby = w === 0 ? 1 : 0;
      const watcher = new Screen(`ws://127.0.0.1:${rig.hubs[standby].port}/ws`, `bench-takeover-${k}`);
      watcher.connect();
      await L.until('the watcher live', () => watcher.live && watcher.seq > 0, 10000, 20);
      watcher.log = [];
      const before = watcher.seq;
      const killed = Date.now();
      await rig.killHub(w);
      // The first frame sampled after the kill (its hub time t) is the new writer's: a frame the
      // old writer published just before may still arrive after the kill.
      const first = await L.until('a frame of the new writer', () => watcher.log.find((f) => f.t > killed), 20000, 5).catch(() => null);
      takeovers.push({ ms: first ? first.at - killed : null, nextSeq: first ? watcher.log[0].seq === before + 1 : false });
      watcher.stop();
      await rig.hubs[w].start();
      await rig.waitRouted(w);
      await allOn(screens, (s) => s.closedAt === 0 && s.live, 'every screen live again');
    }
    out.takeover = { runs: takeovers, ms: L.describe(takeovers.map((t) => t.ms)) };
    console.log(`# failover collector takeover (kill -9 of the writer -> next frame on the standby's client) ms: ${JSON.stringify(out.takeover.ms)}; next seq each time: ${takeovers.every((t) => t.nextSeq)}`);
    out.screensAtEnd = { missing: screens.reduce((n, s) => n + s.missing, 0), dupes: screens.reduce((n, s) => n + s.dupes, 0) };
    console.log(`# failover screens at the end: missing ${out.screensAtEnd.missing}, frames received twice ${out.screensAtEnd.dupes}`);
    for (const s of screens) s.stop();

    // ---- fan-out per hub: JetStream (the standby of the rig) vs the local journal ---------------
    out.fanout = [];
    const w = await rig.writer();
    const standby = rig.hubs[w === 0 ? 1 : 0];
    const local = await new L.Hub({ args: ['--simulate', '100', '--interval-ms', '1000', '--max-clients-per-address', '1200', ...hubArgs] }).start();
    try {
      for (const k of FANOUT) {
        out.fanout.push(await fanout('jetstream', standby.proc.pid, standby.port, k));
        out.fanout.push(await fanout('local', local.proc.pid, local.port, k));
      }
    } finally { await local.stop(); }
  } finally {
    for (const s of screens) s.stop();
    await rig.stop();
  }
  L.writeResult('failover', out);
  process.exit(0);
})().catch((e) => { console.error(e); L.writeResult('failover', { ...out, error: String(e.stack || e) }); process.exit(1); });
