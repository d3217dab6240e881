// Shared pieces of the benchmarks (issue 7). Reuses the browser tests' harness (Hub, launchBrowser,
// openPage, until, hold) without changing it. Every benchmark script writes ONE JSON result to
// $VIGIL_BENCH_OUT/<name>.json (default build/bench/results) and prints numbers; none fails on a timing.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { execFileSync } = require('node:child_process');
const harness = require('../browser/lib/harness.js');
const WebSocket = require('ws');

const root = path.resolve(__dirname, '../..');
const outDir = process.env.VIGIL_BENCH_OUT || path.join(root, 'build/bench/results');
const quick = process.env.VIGIL_BENCH_QUICK === '1';   // fewer repetitions: for developing the bench
const long = process.env.VIGIL_BENCH_LONG === '1';     // the long variants (bench.sh --long)

// ---- statistics -------------------------------------------------------------------------------
function quantile(values, q) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  return v[Math.min(v.length - 1, Math.floor(q * v.length))];
}
function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}
function describe(values) {
  const v = values.filter((x) => Number.isFinite(x));
  return {
    n: v.length, median: median(v), p90: quantile(v, 0.9), p99: quantile(v, 0.99),
    max: v.length ? Math.max(...v) : null, min: v.length ? Math.min(...v) : null,
  };
}
function round(x, digits = 1) {
  if (x === null || x === undefined || !Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

// ---- results ----------------------------------------------------------------------------------
function writeResult(name, result) {
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ name, at: new Date().toISOString(), ...result }, null, 1));
  console.log(`# bench ${name}: wrote ${file}`);
  return file;
}

// A script's own deadline: whatever happens, it ends (with what it measured so far).
function deadline(name, ms, partial) {
  const t = setTimeout(() => {
    console.error(`# bench ${name}: deadline of ${ms} ms passed, writing what was measured`);
    try { writeResult(name, { ...partial(), incomplete: `deadline ${ms} ms` }); } catch { /* nothing more to do */ }
    process.exit(3);
  }, ms);
  t.unref();
  return t;
}

// ---- processes --------------------------------------------------------------------------------
const CLK_TCK = (() => { try { return Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100; } catch { return 100; } })();
// CPU seconds used so far (user + system) and RSS bytes of a process.
function procSample(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(f[11]) + Number(f[12])) / CLK_TCK;  // utime, stime (fields 14, 15)
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number((/VmRSS:\s+(\d+)/.exec(status) || [0, 0])[1]) * 1024;
    return { t: Date.now(), cpu, rss };
  } catch { return null; }
}
// Samples a process every intervalMs; stop() returns {cpuPct, rssMax, rssLast} over [from, to] wall ms.
function procMonitor(pid, intervalMs = 500) {
  const samples = [];
  const s0 = procSample(pid);
  if (s0) samples.push(s0);
  const timer = setInterval(() => { const s = procSample(pid); if (s) samples.push(s); }, intervalMs);
  return {
    samples,
    stop() { clearInterval(timer); },
    window(from, to) {
      const w = samples.filter((s) => s.t >= from && s.t <= to);
      if (w.length < 2) return { cpuPct: null, rssMax: null, rssLast: null };
      const a = w[0], b = w[w.length - 1];
      return { cpuPct: (100 * (b.cpu - a.cpu)) / ((b.t - a.t) / 1000), rssMax: Math.max(...w.map((s) => s.rss)), rssLast: b.rss };
    },
  };
}

// ---- the machine ------------------------------------------------------------------------------
function machine() {
  let cpu = '?';
  try { cpu = (/model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8')) || [0, '?'])[1]; } catch { /* not Linux */ }
  let chromium = '?';
  try { chromium = execFileSync(harness.env.chromium, ['--version'], { timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { /* ok */ }
  return { nproc: os.cpus().length, cpu, ramGiB: round(os.totalmem() / 2 ** 30, 1), node: process.version, chromium,
    kernel: os.release(), load1: os.loadavg()[0] };
}

// ---- a static server for the baseline page --------------------------------------------------------
async function staticServer(dir) {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json' };
  const srv = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.join(dir, path.normalize(rel));
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const port = srv.address().port;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => { srv.closeAllConnections?.(); srv.close(r); }) };
}
const baselineDir = path.join(__dirname, 'baseline');
function baselineUrl(server, wsUrl, client) {
  return `${server.url}index.html?ws=${encodeURIComponent(wsUrl)}${client ? `&client=${client}` : ''}`;
}

// ---- talking to a hub as a plain client -------------------------------------------------------------
// Connects, says hello (history_s), collects messages until `live` (or until `samples` samples frames
// arrived after live). Returns { welcome, catalog, backfill: [texts], live, samples: [texts] }.
function capture(wsUrl, { historyS = 0, samples = 1, timeoutMs = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
    const got = { welcome: null, catalog: null, backfill: [], live: null, samples: [] };
    const timer = setTimeout(() => { ws.terminate(); reject(new Error(`capture ${wsUrl}: timed out`)); }, timeoutMs);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', v: 1, client: 'bench-capture', history_s: historyS })));
    ws.on('message', (data) => {
      const text = data.toString();
      const type = (/"type":"(\w+)"/.exec(text) || [])[1];
      if (type === 'welcome') got.welcome = text;
      else if (type === 'catalog') got.catalog = text;
      else if (type === 'live') got.live = text;
      else if (type === 'samples') (got.live ? got.samples : got.backfill).push(text);
      if (got.live && got.samples.length >= samples) { clearTimeout(timer); ws.close(); resolve(got); }
    });
    ws.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

// ---- a fast protocol feeder (a fake hub) -------------------------------------------------------------
// Speaks the protocol to pages: on hello -> welcome, catalog, the `script` (backfill texts), live, then
// either floods samples frames made from `template` (seq rewritten, t = now) or stays quiet; answers
// pings. flood(true|false), limit (stop after this many flooded frames in total).
class Feeder {
  constructor({ catalog, template, script = [], intervalMs = 1000, epoch = 'e-bench' }) {
    this.catalog = catalog;
    this.script = script;
    this.intervalMs = intervalMs;
    this.epoch = epoch;
    this.setTemplate(template);
    this.sent = 0;        // samples frames flooded, all clients
    this.flooding = false;
    this.limit = Infinity;
    this.highWater = 512 * 1024;  // bytes queued per socket before waiting
    this.clients = new Set();
  }
  setTemplate(template) {
    if (!template) return;
    const m = /^(\{"type":"samples","seq":)(\d+)(,"t":)(\d+)(,.*)$/s.exec(template);
    if (!m) throw new Error(`unexpected samples frame layout: ${template.slice(0, 80)}`);
    this.tplHead = m[1];
    this.tplTail = m[5];
    this.frameBytes = template.length;
  }
  frame(seq, t) { return `${this.tplHead}${seq}${','}"t":${t}${this.tplTail}`; }
  async start() {
    this.server = new WebSocket.Server({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 1 << 20 });
    await new Promise((r) => this.server.once('listening', r));
    this.port = this.server.address().port;
    this.wsUrl = `ws://127.0.0.1:${this.port}/ws`;
    this.server.on('connection', (ws) => {
      const c = { ws, seq: 0, live: false };
      this.clients.add(c);
      ws.on('close', () => this.clients.delete(c));
      ws.on('error', () => {});
      ws.on('message', (data) => {
        let msg;
        try { msg = JSON.parse(data.toString()); } catch { return; }
        if (msg.type === 'ping') ws.send(JSON.stringify({ type: 'pong', t: msg.t, hub_t: Date.now() }));
        if (msg.type !== 'hello') return;
        // Every connection is a new epoch of its own: the page resets and takes what follows.
        const epoch = `${this.epoch}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
        let head = 0;
        for (const s of this.script) head = Math.max(head, Number((/"seq":(\d+)/.exec(s) || [0, 0])[1]));
        ws.send(JSON.stringify({ type: 'welcome', v: 1, epoch, head, oldest: head ? 1 : 0, hub: 'bench-feeder', interval_ms: this.intervalMs }));
        if (this.catalog) ws.send(this.catalog);
        for (const s of this.script) ws.send(s);
        ws.send(JSON.stringify({ type: 'live', head }));
        c.seq = head;
        c.live = true;
        this.pump(c);
      });
    });
    return this;
  }
  flood(on) { this.flooding = on; if (on) for (const c of this.clients) this.pump(c); }
  pump(c) {
    if (c.pumping) return;
    c.pumping = true;
    const step = () => {
      c.pumping = false;
      if (!this.flooding || !c.live || c.ws.readyState !== WebSocket.OPEN) return;
      let n = 0;
      while (this.sent < this.limit && c.ws.bufferedAmount < this.highWater && n < 256) {
        c.ws.send(this.frame(++c.seq, Date.now()));
        ++this.sent; ++n;
      }
      if (this.sent >= this.limit) { this.flooding = false; return; }
      c.pumping = true;
      // Drained a little? send more; otherwise wait for the socket to drain.
      if (n > 0) setImmediate(step); else setTimeout(step, 1);
    };
    setImmediate(step);
  }
  close() {
    this.flooding = false;
    for (const c of this.clients) c.ws.terminate();
    return new Promise((r) => this.server.close(r));
  }
}

// ---- pages --------------------------------------------------------------------------------------
// In-page watchers that time state changes with Date.now() (the hub's clock, same machine) at 10 ms
// resolution, so Node's polling adds no delay. getter: 'vigil' or 'baseline'.
//   arm(kind): 'live'    -> connected again (a new open) and LIVE; `dataAt` when a frame arrived too
//              'notlive' -> the first read that is not LIVE (and `downAt`: link no longer open)
async function installWatch(page, getter) {
  await page.evaluate((g) => {
    if (window.__watch) return;
    const w = window.__watch = { getter: g, armed: null, at: {} };
    const read = () => (g === 'vigil' ? window.vigil : window.baseline);
    w.arm = (kind) => {
      const v = read();
      w.armed = { kind, opens: v.opens, frames: g === 'vigil' ? v.frames : v.samples, wall: Date.now() };
      w.at = {};
    };
    setInterval(() => {
      const a = w.armed;
      if (!a) return;
      const v = read();
      if (!v) return;
      const now = Date.now();
      const frames = g === 'vigil' ? v.frames : v.samples;
      const open = g === 'vigil' ? v.link === 'open' : v.isConnect;
      if (a.kind === 'live') {
        if (!w.at.live && v.opens > a.opens && v.state === 'LIVE') w.at.live = now;
        if (!w.at.data && v.opens > a.opens && frames > a.frames && v.state === 'LIVE') w.at.data = now;
        if (w.at.live && w.at.data) w.armed = null;
      } else {
        if (!w.at.notlive && v.state !== 'LIVE') { w.at.notlive = now; w.at.notliveState = v.state; }
        if (!w.at.down && !open) { w.at.down = now; w.at.downState = v.state; }
        if (w.at.notlive && w.at.down) w.armed = null;
      }
    }, 10);
  }, getter);
}
const arm = (page, kind) => page.evaluate((k) => window.__watch.arm(k), kind);
const watched = (page) => page.evaluate(() => window.__watch.at);

// CDP: the page's main-thread task time (s) and JS heap.
async function cdp(page) {
  const s = await page.context().newCDPSession(page);
  await s.send('Performance.enable');
  return {
    session: s,
    async metrics() {
      const { metrics } = await s.send('Performance.getMetrics');
      return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
    },
    async gcHeap() {
      await s.send('HeapProfiler.collectGarbage').catch(() => {});
      const h = await s.send('Runtime.getHeapUsage');
      return h.usedSize;
    },
    detach: () => s.detach().catch(() => {}),
  };
}

// CPU of a page's main thread over `ms` (CDP TaskDuration, % of one core; ScriptDuration too) and
// what window.vigil counted meanwhile (draws/s, loops/s), with the last window.vigil read (`v`).
async function taskWindow(page, ms) {
  const c = await cdp(page.page);
  const a = await c.metrics();
  const va = await page.vigil();
  const t0 = Date.now();
  await harness.hold(ms);
  const b = await c.metrics();
  const vb = await page.vigil();
  const sec = (Date.now() - t0) / 1000;
  await c.detach();
  return { cpuPct: (100 * (b.TaskDuration - a.TaskDuration)) / sec, scriptPct: (100 * (b.ScriptDuration - a.ScriptDuration)) / sec,
    drawsPerS: (vb.draws - va.draws) / sec, loopsPerS: (vb.loops - va.loops) / sec, v: vb };
}

module.exports = {
  ...harness, harness, WebSocket, root, outDir, quick, long, quantile, median, describe, round, writeResult, deadline,
  procSample, procMonitor, machine, staticServer, baselineDir, baselineUrl, capture, Feeder, installWatch, arm, watched, cdp, taskWindow,
};
