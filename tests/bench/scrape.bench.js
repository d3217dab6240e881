// Benchmark 11, scraping (issue 12 item 9): the hub scrapes 100 and then 1,000 targets at 1 Hz.
// The targets: one nginx on loopback serving, under 1,000 paths (/t/0000/metrics ...), a body
// captured now from this machine's real node_exporter (package defaults), gzip-precompressed
// as node_exporter answers a client that accepts gzip. Printed: hub CPU % of one core
// (/proc/PID/stat), scrape latency p50/p99 (GET /targets duration_ms, read every 5 s), body
// MB/s parsed per core of hub CPU (everything the hub does counted as parsing), frame bytes.
// Baseline in the same run: Prometheus 2.42 (/usr/bin/prometheus, generated config, TSDB in a temp
// folder) scraping the same targets every 1 s: CPU per scraped sample, ours vs its.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { spawn, execFileSync } = require('node:child_process');
const L = require('./lib.js');
const { NodeExporter } = require('../browser/tools/node_exporters.js');

const PROMETHEUS = process.env.VIGIL_PROMETHEUS || '/usr/bin/prometheus';
const levels = L.quick ? [100, 1000] : [100, 1000];
const warmupS = L.quick ? 3 : 8;
const seconds = L.quick ? 5 : 30;
const rows = [];
let body = null;
// nginx and Prometheus are stopped however this script ends (the harness stops its hubs at exit;
// a signal is turned into an exit so that happens on Ctrl-C or timeout(1) too).
const spawned = new Set();
process.on('exit', () => { for (const p of spawned) { try { p.kill('SIGKILL'); } catch { /* gone */ } } });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
const partial = () => ({ warmupS, seconds, body, rows });
L.deadline('scrape', 12 * 60 * 1000, partial);

// ---- the targets: nginx serving one captured body under 1,000 paths ---------------------------
async function captureBody() {
  const ex = await new NodeExporter({ name: 'bench-capture' }).start();
  try {
    await ex.metricsText();  // the first scrape of a fresh exporter lacks some collectors' state
    const text = await ex.metricsText();
    return text;
  } finally { await ex.kill(); }
}

async function startNginx(text) {
  const dir = L.tmpDir('vigil-scrape-bench-');
  for (const d of ['logs', 'tmp', 'www']) fs.mkdirSync(path.join(dir, d));
  fs.writeFileSync(path.join(dir, 'www', 'metrics.prom'), text);
  fs.writeFileSync(path.join(dir, 'www', 'metrics.prom.gz'), zlib.gzipSync(text, { level: 6 }));
  const port = await L.freePort();
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(conf, `${process.getuid && process.getuid() === 0 ? 'user root;\n' : ''}worker_processes 1;
worker_rlimit_nofile 8192;
error_log ${dir}/logs/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body; proxy_temp_path ${dir}/tmp/proxy; fastcgi_temp_path ${dir}/tmp/fcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi; scgi_temp_path ${dir}/tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:${port} backlog=4096;
    root ${dir}/www;
    # Every /t/NNNN/metrics is the same body; .gz served as is to a client accepting gzip.
    location /t/ { default_type "text/plain; version=0.0.4; charset=utf-8"; gzip_static on; try_files /metrics.prom =404; }
  }
}
`);
  const proc = spawn(L.env.nginx, ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  spawned.add(proc);
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((r) => proc.once('exit', r));
  await L.until('nginx to serve a target', async () => {
    if (proc.exitCode !== null) throw new Error(`nginx exited: ${log}`);
    const r = await fetch(`http://127.0.0.1:${port}/t/0000/metrics`, { signal: AbortSignal.timeout(1000) });
    return r.ok && (await r.text()).length === text.length;
  }, 10000);
  return { port, proc, async stop() { proc.kill('SIGTERM'); await exited; } };
}

const pathOf = (i) => `/t/${String(i).padStart(4, '0')}/metrics`;
const hostOf = (i) => `t${String(i).padStart(4, '0')}`;

// ---- one level: the hub ------------------------------------------------------------------------------
// Sums of the samples matching each regex, from ONE read of the exposition at url.
async function metricsValues(url, ...res) {
  const text = await (await fetch(url, { signal: AbortSignal.timeout(5000) })).text();
  const n = res.map(() => 0);
  for (const line of text.split('\n')) res.forEach((re, i) => { const m = re.exec(line); if (m) n[i] += Number(m[1]); });
  return n;
}
const metricsValue = async (url, re) => (await metricsValues(url, re))[0];

// `validate`: the hub's --scrape-validate ('read', the default: only the lines of the metrics the
// node profile reads are parsed in full; 'all': every line, as before that option existed).
async function hubLevel(nginx, k, validate = 'read') {
  const dir = L.tmpDir('vigil-scrape-hub-');
  const file = path.join(dir, 'targets.json');
  fs.writeFileSync(file, JSON.stringify({
    interval_s: 1,
    targets: Array.from({ length: k }, (_, i) => ({ address: `127.0.0.1:${nginx.port}`, metrics_path: pathOf(i), host: hostOf(i) })),
  }));
  const hub = await new L.Hub({ args: ['--no-local', '--interval-ms', '1000', '--targets', file, '--scrape-validate', validate] }).start();
  try {
    const stats = `${hub.url}targets`;
    await L.until(`${k} targets up`, async () => {
      const t = await L.fetchJson(stats, 10000);
      return t.length === k && t.every((x) => x.up) && t;
    }, 30000, 500);
    await L.hold(warmupS * 1000);
    const okRe = /^vigil_hub_scrapes_total\{outcome="success"\}\s+(\S+)/;
    const allRe = /^vigil_hub_scrapes_total\{[^}]*\}\s+(\S+)/;
    const [ok0, all0] = await metricsValues(`${hub.url}metrics`, okRe, allRe);
    const stopWatch = frameWatch(hub.wsUrl);
    const c0 = L.procSample(hub.proc.pid);
    const durations = [];
    let series = 0;
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
      const t = await L.fetchJson(stats, 10000);
      for (const x of t) if (Number.isFinite(x.duration_ms)) durations.push(x.duration_ms);
      // The body's sample lines (what Prometheus counts as scraped), however many were read.
      series = Math.max(series, ...t.map((x) => x.samples ?? x.series ?? 0));
      await L.hold(5000);  // /targets costs the hub ~11 ms at 1,000 targets: read it every 5 s, not every second
    }
    const c1 = L.procSample(hub.proc.pid);
    const frameGapMs = stopWatch();
    const [ok1, all1] = await metricsValues(`${hub.url}metrics`, okRe, allRe);
    const wallS = (c1.t - c0.t) / 1000, cpuS = c1.cpu - c0.cpu;
    const scrapes = ok1 - ok0;
    const got = await L.capture(hub.wsUrl, { samples: 1, timeoutMs: 20000 });
    const row = {
      server: 'vigil-hub', targets: k, validate, wallS, cpuS, cpuPct: (100 * cpuS) / wallS, rssMiB: c1.rss / 2 ** 20,
      scrapesPerS: scrapes / wallS, failedScrapes: all1 - all0 - scrapes, expectedScrapesPerS: k,
      latencyMs: { p50: L.quantile(durations, 0.5), p99: L.quantile(durations, 0.99), n: durations.length },
      seriesPerTarget: series, samplesPerS: (scrapes * series) / wallS,
      bodyMBPerCore: cpuS > 0 ? (scrapes * body.bytes) / 1e6 / cpuS : null,
      cpuUsPerSample: scrapes * series > 0 ? (1e6 * cpuS) / (scrapes * series) : null,
      frameBytes: got.samples[0] ? got.samples[0].length : null,
      catalogBytes: got.catalog ? got.catalog.length : null,
      frameGapMs,
    };
    rows.push(row);
    console.log(`# scrape vigil-hub ${k} targets (--scrape-validate ${validate}): CPU ${L.round(row.cpuPct, 1)} % of a core, ${L.round(row.scrapesPerS, 0)}/${k} scrapes/s ` +
      `(${row.failedScrapes} failed), latency p50 ${L.round(row.latencyMs.p50, 2)} ms p99 ${L.round(row.latencyMs.p99, 2)} ms, ` +
      `${L.round(row.bodyMBPerCore, 0)} MB/s of body per core, ${L.round(row.cpuUsPerSample, 3)} us CPU per scraped sample, frame ${row.frameBytes} B, RSS ${L.round(row.rssMiB, 0)} MiB; ` +
      `frames ${frameGapMs.frames}, gap between frames p50 ${L.round(frameGapMs.p50, 0)} ms p99 ${L.round(frameGapMs.p99, 0)} ms max ${L.round(frameGapMs.max, 0)} ms`);
    return row;
  } finally {
    await hub.stop().catch(() => {});
  }
}

// ---- frames on time: one protocol client records when each live samples frame arrives ----------
// A slow or big target must never delay the frame for the others: the spread of the arrival gaps
// (1,000 ms ideally) says whether scraping and parsing on the hub's thread hold the tick back.
function frameWatch(wsUrl) {
  const ws = new L.WebSocket(wsUrl, { perMessageDeflate: false });
  const at = [];
  let live = false;
  ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', v: 1, client: 'bench-frame-watch' })));
  ws.on('message', (data) => {
    const type = (/"type":"(\w+)"/.exec(data.toString().slice(0, 64)) || [])[1];
    if (type === 'live') live = true;
    else if (type === 'samples' && live) at.push(performance.now());
  });
  ws.on('error', () => {});
  return () => {
    ws.terminate();
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    return { frames: at.length, p50: L.quantile(gaps, 0.5), p99: L.quantile(gaps, 0.99), max: gaps.length ? Math.max(...gaps) : null };
  };
}

// ---- one level: Prometheus -----------------------------------------------------------------------
async function prometheusLevel(nginx, k) {
  const dir = L.tmpDir('vigil-scrape-prom-');
  const port = await L.freePort();
  // One static group per path: __metrics_path__ picks the path, `instance` keeps the 1,000 targets
  // apart (same address: their label sets would be equal and Prometheus would drop duplicates).
  const groups = Array.from({ length: k }, (_, i) =>
    `      - targets: ['127.0.0.1:${nginx.port}']\n        labels: {__metrics_path__: '${pathOf(i)}', instance: '${hostOf(i)}'}`).join('\n');
  const conf = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(conf, `global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n  - job_name: bench\n    static_configs:\n${groups}\n`);
  const proc = spawn(PROMETHEUS, [`--config.file=${conf}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  spawned.add(proc);
  let log = '';
  proc.stderr.on('data', (d) => { log = (log + d).slice(-8192); });
  const exited = new Promise((r) => proc.once('exit', r));
  const url = `http://127.0.0.1:${port}`;
  try {
    await L.until('prometheus ready', async () => {
      if (proc.exitCode !== null) throw new Error(`prometheus exited: ${log}`);
      return (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok;
    }, 60000, 250);
    const upCount = async () => {
      const r = await L.fetchJson(`${url}/api/v1/query?query=${encodeURIComponent('count(up == 1)')}`, 10000);
      return r.data.result.length ? Number(r.data.result[0].value[1]) : 0;
    };
    await L.until(`${k} targets up in prometheus`, async () => (await upCount()) >= k, 60000, 1000).catch(() => {});
    await L.hold(warmupS * 1000);
    const appendedRe = /^prometheus_tsdb_head_samples_appended_total(?:\{[^}]*\})?\s+(\S+)/;
    const a0 = await metricsValue(`${url}/metrics`, appendedRe);
    const c0 = L.procSample(proc.pid);
    await L.hold(seconds * 1000);
    const c1 = L.procSample(proc.pid);
    const a1 = await metricsValue(`${url}/metrics`, appendedRe);
    const q = async (expr) => {
      const r = await L.fetchJson(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`, 10000);
      return r.data.result.length ? Number(r.data.result[0].value[1]) : null;
    };
    const wallS = (c1.t - c0.t) / 1000, cpuS = c1.cpu - c0.cpu;
    const samples = a1 - a0;
    const row = {
      server: 'prometheus', targets: k, wallS, cpuS, cpuPct: (100 * cpuS) / wallS, rssMiB: c1.rss / 2 ** 20,
      up: await upCount(), samplesPerS: samples / wallS, expectedSamplesPerS: k * (body.series + 5),
      latencyMs: { p50: 1000 * (await q('quantile(0.5, scrape_duration_seconds)')), p99: 1000 * (await q('quantile(0.99, scrape_duration_seconds)')) },
      cpuUsPerSample: samples > 0 ? (1e6 * cpuS) / samples : null,
    };
    rows.push(row);
    console.log(`# scrape prometheus ${k} targets: CPU ${L.round(row.cpuPct, 1)} % of a core, ${row.up}/${k} up, ${L.round(row.samplesPerS, 0)} samples/s ` +
      `(expected ${row.expectedSamplesPerS}), scrape p50 ${L.round(row.latencyMs.p50, 2)} ms p99 ${L.round(row.latencyMs.p99, 2)} ms, ` +
      `${L.round(row.cpuUsPerSample, 3)} us CPU per sample, RSS ${L.round(row.rssMiB, 0)} MiB`);
    return row;
  } finally {
    proc.kill('SIGTERM');
    await Promise.race([exited, L.hold(20000)]);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  }
}

// The parser alone on the captured body (vigil-exposition-bench, one thread): MB/s per core.
function parserSpeed(text) {
  const tools = process.env.VIGIL_BENCH_TOOLS || path.join(L.root, 'build/bench');
  const file = path.join(L.tmpDir('vigil-scrape-body-'), 'metrics.prom');
  fs.writeFileSync(file, text);
  try {
    const out = execFileSync(path.join(tools, 'vigil-exposition-bench'), [file, L.quick ? '1' : '3'], { encoding: 'utf8' });
    const mb = (what) => { const m = new RegExp(`^${what}\\s+([\\d.]+) MB/s\\s+([\\d.]+) ns/line`, 'm').exec(out); return m ? { mbPerS: Number(m[1]), nsPerLine: Number(m[2]) } : null; };
    const r = { parse: mb('parse'), parseAndProfile: mb('parse \\+ node profile') };
    console.log(`# scrape: parser alone on this body: ${r.parse?.mbPerS} MB/s (${r.parse?.nsPerLine} ns/line), with the node profile ${r.parseAndProfile?.mbPerS} MB/s, one core`);
    return r;
  } catch (e) {
    console.error(`# scrape: vigil-exposition-bench: ${e.message}`);
    return { error: String(e.message || e) };
  }
}

(async () => {
  const text = await captureBody();
  const series = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
  body = { bytes: Buffer.byteLength(text), gzipBytes: zlib.gzipSync(text, { level: 6 }).length, lines: text.split('\n').length - 1, series };
  console.log(`# scrape: node_exporter body ${body.bytes} B (${body.gzipBytes} B gzip), ${body.series} series`);
  body.parser = parserSpeed(text);
  const nginx = await startNginx(text);
  try {
    for (const k of levels) {
      await hubLevel(nginx, k).catch((e) => { rows.push({ server: 'vigil-hub', targets: k, error: String(e.message || e) }); console.error(`# scrape vigil-hub ${k}: ${e.message}`); });
      if (k === levels[levels.length - 1]) {
        await hubLevel(nginx, k, 'all').catch((e) => { rows.push({ server: 'vigil-hub', targets: k, validate: 'all', error: String(e.message || e) }); console.error(`# scrape vigil-hub ${k} all: ${e.message}`); });
      }
      await prometheusLevel(nginx, k).catch((e) => { rows.push({ server: 'prometheus', targets: k, error: String(e.message || e) }); console.error(`# scrape prometheus ${k}: ${e.message}`); });
    }
  } finally {
    await nginx.stop();
  }
  L.writeResult('scrape', partial());
  process.exit(0);
})().catch((e) => { console.error(e); L.writeResult('scrape', { ...partial(), error: String(e.stack || e) }); process.exit(1); });
