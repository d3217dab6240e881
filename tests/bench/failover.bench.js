// Benchmark of issue 14 (several hubs on NATS JetStream), on tests/browser/tools/ha_rig.js: a
// 3-node nats-server cluster, 3 hubs (--nats, replicas 3, the default 1 s interval, a 100-host
// simulated fleet, --no-local) and a real nginx upstream of both, all on loopback ports.
// (3 hubs, so a kill -9 can hit a standby that serves screens: see the failover loop.)
// A "screen" here is a Node `ws` protocol client through nginx that behaves like the page's link:
// hello with its cursor (resume {epoch, seq}), on an abnormal close the page's backoff (attempt n:
// 100 ms + u * (min(1300, 1000 * 2^(n-1)) - 100)), on 1012 "reconnect=now" a retry within 250 ms;
// it counts seqs missing (neither received nor announced by a gap) and frames received twice. On a
// hub's `shutdown` with handover_ms it either hands over like this page (make before break: a
// second socket within 250 ms, hello there with its cursor, the first closed 1000 "handed over")
// or, as pages from before that did, waits for the hub's 1012 at the end of the window.
// (100 Chromium pages do not fit on 2 cores beside 2 hubs, 3 NATS nodes and nginx.)
// Rows:
//   failover: kill -9 of the hub serving the most screens -> each screen's first frame after the
//     new connection's `live` (what the page needs to show LIVE with fresh data), p50/p99 over
//     100 screens x the kills; split by whether the killed hub was also the writer (+ takeover)
//   rolling: SIGTERM to the busiest hub, 4 times (restarted), twice: the screens as old pages, then
//     as this page. Old: per screen, the longest time from a close to the next `welcome` (on a hub
//     again: the page's MAINTENANCE/RECONNECTING stretch) and to the first frame after `live` (its
//     non-LIVE stretch), p50/p99/max over the screens. Both: per screen moved, the longest time
//     between two fresh frames shown as LIVE (1 s = the interval), handovers and failed ones,
//     screens that had zero open sockets, seqs missing
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
const CONNECT_TIMEOUT_MS = 5000;   // the page's connect deadline (src/core/link_config.h)
const HANDOVER_SPREAD_MS = 250;   // kHandoverSpreadMs (src/core/close_policy.h)
L.deadline('failover', 14 * 60 * 1000, () => out);

// One screen: the page's link, without drawing. `handover` picks its answer to a hub's `shutdown`
// with handover_ms: true is this page (make before break, src/core/link.cpp begin_handover,
// PROTOCOL.md `shutdown`), false a page from before it (it stays until the hub's 1012).
class Screen {
  constructor(url, id, { handover = false } = {}) {
    this.url = url; this.id = id; this.handover = handover; this.epoch = null; this.seq = 0;
    this.missing = 0; this.dupes = 0; this.attempt = 0; this.ws = null; this.live = false;
    this.closes = 0; this.closedAt = 0; this.recoveredAt = 0; this.log = null; this.stopped = false; this.longestDown = 0; this.longestAway = 0;
    this.retryTimer = null; this.deadline = null;
    // Make before break: the second socket while it opens, its spread and deadline timers; carried:
    // LIVE carried over the swap until the new connection's first frame after `live`
    // (page_app.h carried_live_).
    this.next = null; this.spreadTimer = null; this.nextDeadline = null; this.nextDeadlineAt = 0; this.carried = false;
    this.handovers = 0; this.handoverFailures = 0; this.previews = 0;
    this.shutdownAt = 0; this.swapMs = [];  // shutdown -> swap, one per handover of a pass (reset by it)
    this.dark = 0;  // times the link's socket ended with no other open: zero open sockets
    this.sockets = new Set(); this.maxSockets = 0;  // every socket not closed yet (the page: at most 2)
    this.lastFreshAt = 0; this.longestGap = 0;      // between consecutive new seqs shown as LIVE
  }
  hello() {
    return JSON.stringify({ type: 'hello', v: 1, client: this.id, ...(this.handover ? { previews: true } : {}),
      ...(this.epoch ? { resume: { epoch: this.epoch, seq: this.seq } } : {}) });
  }
  open() {
    const ws = new L.WebSocket(this.url, { perMessageDeflate: false });
    this.sockets.add(ws);
    this.maxSockets = Math.max(this.maxSockets, this.sockets.size);
    ws.on('open', () => this.opened(ws));
    // Only the link's socket is heard: the second one says nothing before it opens, and the first
    // one says nothing more once it is handed over (what it still delivers is dropped).
    ws.on('message', (data) => { if (ws === this.ws) this.take(data.toString()); });
    ws.on('error', () => {});
    ws.on('close', (code, reason) => {
      this.sockets.delete(ws);
      if (ws === this.next) this.failHandover();
      else if (ws === this.ws) this.closed(code, reason.toString());
    });
    return ws;
  }
  connect() {
    this.retryTimer = null;
    this.live = false;
    this.ws = this.open();
  }
  opened(ws) {
    if (ws === this.next) {
      // The swap (Link::on_socket_open): the second socket becomes the link's, the first (still
      // delivering frames until now) is closed, and the hello carries the cursor held now.
      clearTimeout(this.nextDeadline); this.nextDeadline = null;
      this.next = null;
      ++this.handovers;
      this.swapMs.push(Date.now() - this.shutdownAt);
      this.carried ||= this.live;
      this.ws.close(1000, 'handed over');
      this.ws = ws;
      this.live = false;
    } else if (ws !== this.ws) return;
    clearTimeout(this.deadline); this.deadline = null;
    ws.send(this.hello());
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
    } else if (type === 'preview') {
      ++this.previews;  // latest values only: no seq, so neither the cursor nor the gap below
    } else if (type === 'shutdown') {
      const m = JSON.parse(text);
      if (this.handover && m.handover_ms > 0) this.beginHandover(m.handover_ms);
    } else if (type === 'samples') {
      const seq = Number((/"seq":(\d+)/.exec(text) || [])[1]);
      if (seq <= this.seq) { ++this.dupes; return; }
      if (this.seq && seq > this.seq + 1) this.missing += seq - this.seq - 1;
      this.seq = seq;
      const now = Date.now();
      if (this.log) this.log.push({ seq, t: Number((/"t":(\d+)/.exec(text) || [])[1]), at: now });
      if (this.live || this.carried) {  // a fresh frame the page shows as LIVE
        if (this.lastFreshAt) this.longestGap = Math.max(this.longestGap, now - this.lastFreshAt);
        this.lastFreshAt = now;
      }
      if (this.live) {
        this.attempt = 0;  // a stable link again
        this.carried = false;  // the new connection is live itself
        if (this.closedAt) {  // the first fresh frame since a close: back, as the page would show LIVE
          this.recoveredAt = now;
          this.longestDown = Math.max(this.longestDown, this.recoveredAt - this.closedAt);
          this.closedAt = 0;
        }
      }
    }
  }
  // Link::begin_handover: after a uniform draw in [0, min(250 ms, window / 4)] a second socket to
  // the same URL (through nginx: another hub, the old one accepts no more), under the connect
  // deadline. One handover at a time.
  beginHandover(windowMs) {
    if (this.ws?.readyState !== L.WebSocket.OPEN || this.next || this.spreadTimer) return;
    this.shutdownAt = Date.now();
    this.spreadTimer = setTimeout(() => {
      this.spreadTimer = null;
      if (this.stopped || this.ws?.readyState !== L.WebSocket.OPEN) return;
      this.nextDeadlineAt = Date.now() + CONNECT_TIMEOUT_MS;
      this.nextDeadline = setTimeout(() => { this.nextDeadline = null; this.failHandover(); }, CONNECT_TIMEOUT_MS);
      this.next = this.open();
    }, Math.random() * Math.min(HANDOVER_SPREAD_MS, windowMs / 4));
  }
  failHandover() {  // released and counted; the first socket's close then follows the usual path
    ++this.handoverFailures;
    this.dropHandover();
  }
  dropHandover() {
    clearTimeout(this.spreadTimer); this.spreadTimer = null;
    clearTimeout(this.nextDeadline); this.nextDeadline = null;
    const ws = this.next;
    this.next = null;
    ws?.terminate();
  }
  closed(code, reason) {
    if (this.stopped) return;
    ++this.closes;
    ++this.dark;
    if (!this.closedAt) this.closedAt = Date.now();
    this.carried = false;  // the link left Open
    clearTimeout(this.deadline); this.deadline = null;
    ++this.attempt;
    clearTimeout(this.spreadTimer); this.spreadTimer = null;  // not opened yet: the usual path
    if (this.next) {
      // Link::adopt_handover: the first socket ended while the second was opening: that one
      // carries on as the link's (CONNECTING) under what is left of its deadline, and its open
      // says hello.
      ++this.handovers;
      this.ws = this.next;
      this.next = null;
      this.live = false;
      clearTimeout(this.nextDeadline); this.nextDeadline = null;
      const ws = this.ws;
      this.deadline = setTimeout(() => { this.deadline = null; ws.terminate(); }, Math.max(0, this.nextDeadlineAt - Date.now()));
      return;
    }
    let delay;
    if (code === 1012 && reason.includes('reconnect=now')) delay = Math.random() * 250;
    else {
      const ceiling = Math.min(1300, 1000 * 2 ** (this.attempt - 1));
      delay = 100 + Math.random() * (ceiling - 100);
    }
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
  stop() {
    this.stopped = true;
    for (const t of [this.retryTimer, this.deadline, this.spreadTimer, this.nextDeadline]) clearTimeout(t);
    this.retryTimer = this.deadline = this.spreadTimer = this.nextDeadline = null;
    this.next = null;
    for (const ws of this.sockets) ws.terminate();
  }
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
    // Two passes over the same 100 screens: first as pages from before make-before-break (the
    // rows of earlier runs), then as this page (handover). Per screen in each pass: the longest
    // time between two fresh frames (new seqs) shown as LIVE (1 s is the interval: nothing lost),
    // and for the old clients also the close -> welcome and close -> live + frame stretches.
    const rollingPass = async (handover) => {
      for (const s of screens) {
        s.handover = handover; s.longestDown = 0; s.longestAway = 0; s.longestGap = 0; s.lastFreshAt = 0;
        s.maxSockets = s.sockets.size; s.swapMs = [];
      }
      const before = screens.map((s) => ({ missing: s.missing, dupes: s.dupes, handovers: s.handovers,
        failures: s.handoverFailures, dark: s.dark, previews: s.previews }));
      const moved = new Set();
      let writerTerms = 0;
      for (let k = 0; k < ROLLS; ++k) {
        const counts = await rig.clients();
        const i = counts.indexOf(Math.max(...counts));
        const n = counts[i];
        const wasWriter = (await rig.writer()) === i;
        if (wasWriter) ++writerTerms;
        const marks = screens.map((s) => s.closes + s.handovers + s.handoverFailures);
        await rig.termHub(i);
        const left = () => screens.filter((s, j) => s.closes + s.handovers + s.handoverFailures > marks[j]);
        await L.until(`SIGTERM ${k}: its screens gone`, () => left().length >= n, 10000, 20);
        const gone = left();
        for (const s of gone) moved.add(s);
        console.log(`# failover rolling (${handover ? 'handover' : 'old'} clients) SIGTERM ${k}: hub${i}${wasWriter ? ' (writer)' : ''}, ${n} screens on it, ${gone.length} left it`);
        await allOn(screens, (s) => s.closedAt === 0 && s.live && !s.next, `every screen live after SIGTERM ${k}`);
        await rig.hubs[i].start();
        await rig.waitRouted(i);
      }
      const sum = (f) => screens.reduce((t, s, j) => t + f(s, before[j]), 0);
      const r = { clients: handover ? 'handover' : 'old', sigterms: ROLLS, writerTerms, screensMoved: moved.size,
        longestGapMs: L.describe([...moved].map((s) => s.longestGap)), shutdownToSwapMs: L.describe(screens.flatMap((s) => s.swapMs)),
        handovers: sum((s, b) => s.handovers - b.handovers), handoverFailures: sum((s, b) => s.handoverFailures - b.failures),
        screensDark: screens.filter((s, j) => s.dark > before[j].dark).length, maxSockets: Math.max(...screens.map((s) => s.maxSockets)),
        missing: sum((s, b) => s.missing - b.missing), dupes: sum((s, b) => s.dupes - b.dupes), previews: sum((s, b) => s.previews - b.previews) };
      if (!handover) {
        r.longestNonLiveMs = L.describe(screens.map((s) => s.longestDown));
        r.longestAwayMs = L.describe(screens.map((s) => s.longestAway));
        // The rows above are over every screen (as in earlier runs): one never moved counts 0.
        r.longestNonLiveMovedMs = L.describe([...moved].map((s) => s.longestDown));
        r.longestAwayMovedMs = L.describe([...moved].map((s) => s.longestAway));
      }
      console.log(`# failover rolling (${r.clients} clients): ${r.screensMoved} screens moved; longest gap between fresh LIVE frames per moved screen ms: ` +
        `${JSON.stringify(r.longestGapMs)}; handovers ${r.handovers}, failed ${r.handoverFailures}; screens with zero open sockets ${r.screensDark}; ` +
        `most sockets at once ${r.maxSockets}; seqs missing ${r.missing}, twice ${r.dupes}; previews ${r.previews}` +
        (handover ? `; shutdown -> swap ms: ${JSON.stringify(r.shutdownToSwapMs)}` : ''));
      return r;
    };
    out.rolling = await rollingPass(false);
    console.log(`# failover rolling: longest close -> live+frame per screen ms: ${JSON.stringify(out.rolling.longestNonLiveMs)}`);
    console.log(`# failover rolling: longest close -> welcome on another hub per screen ms: ${JSON.stringify(out.rolling.longestAwayMs)}`);
    console.log(`# failover rolling, the moved screens only: close -> live+frame ms ${JSON.stringify(out.rolling.longestNonLiveMovedMs)}; close -> welcome ms ${JSON.stringify(out.rolling.longestAwayMovedMs)}`);
    out.rollingHandover = await rollingPass(true);
    for (const s of screens) s.handover = false;

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
