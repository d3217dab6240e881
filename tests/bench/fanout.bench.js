// Benchmark 8, hub fan-out: 100, 500 and 1,000 concurrent WebSocket clients (tests/bench vigil-load,
// native Beast clients, <= 250 per process) receiving a 100-host fleet at 1 Hz
// (`vigil-hub --simulate 100 --no-local --max-clients 1200`): server CPU % (of one core) and RSS over
// the measuring window, delivery latency p50/p99/max (client receipt - the frame's hub time `t`, same
// clock), dropped clients. Baseline, same run, same clients: a minimal Node `ws` broadcast server
// (baseline_server.js) that takes the hub's frames as one client and rebroadcasts them (its
// latency includes that extra hop; its CPU/RSS are the Node process's alone).
// Note: on 2 cores the load clients share the CPU with the server being measured.
'use strict';
const path = require('node:path');
const { spawn } = require('node:child_process');
const L = require('./lib.js');

const tools = process.env.VIGIL_BENCH_TOOLS || path.join(L.root, 'build/bench');
const levels = L.quick ? [100] : [100, 500, 1000];
const seconds = L.quick ? 6 : 12;
const warmupS = 3;
const perProcess = 250;
const rows = [];
const partial = () => ({ seconds, warmupS, rows });
L.deadline('fanout', 10 * 60 * 1000, partial);

function runLoad(port, clients, id) {
  return new Promise((resolve) => {
    const p = spawn(path.join(tools, 'vigil-load'), ['--port', String(port), '--clients', String(clients), '--seconds', String(seconds),
      '--warmup-s', String(warmupS), '--id', id, '--connect-timeout-s', '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    const kill = setTimeout(() => p.kill('SIGKILL'), (30 + warmupS + seconds + 30) * 1000);
    p.on('exit', () => {
      clearTimeout(kill);
      try { resolve(JSON.parse(out)); } catch { resolve({ error: `vigil-load: ${err || out.slice(0, 200)}` }); }
    });
  });
}

async function level(server, name, port, pid, k) {
  const mon = L.procMonitor(pid, 500);
  const procs = Math.ceil(k / perProcess);
  const tStart = Date.now();
  const outs = await Promise.all(Array.from({ length: procs }, (_, i) => runLoad(port, Math.round(k / procs), `${name}-${k}-${i}`)));
  mon.stop();
  const connectMs = Math.max(0, ...outs.map((o) => o.connect_ms || 0));
  const from = tStart + connectMs + warmupS * 1000, to = from + seconds * 1000;
  const w = mon.window(from, to);
  const lat = [].concat(...outs.map((o) => o.latency_us || [])).map((us) => us / 1000);
  const sum = (f) => outs.reduce((n, o) => n + (o[f] || 0), 0);
  const row = {
    server: name, clients: k, processes: procs, connected: sum('connected'), connectFailed: sum('connect_failed'), dropped: sum('dropped'),
    connectMs, framesMeasured: sum('frames_measured'), expectedFrames: k * seconds,
    latencyMs: { p50: L.quantile(lat, 0.5), p99: L.quantile(lat, 0.99), max: lat.length ? Math.max(...lat) : null },
    cpuPct: w.cpuPct, rssMiB: w.rssMax === null ? null : w.rssMax / 2 ** 20,
    errors: outs.filter((o) => o.error).map((o) => o.error),
  };
  rows.push(row);
  console.log(`# fanout ${name} ${k}: connected ${row.connected}, dropped ${row.dropped}, failed ${row.connectFailed}; latency p50 ${L.round(row.latencyMs.p50, 1)} ms ` +
    `p99 ${L.round(row.latencyMs.p99, 1)} ms max ${L.round(row.latencyMs.max, 1)} ms; CPU ${L.round(row.cpuPct, 1)} %, RSS ${L.round(row.rssMiB, 1)} MiB; frames ${row.framesMeasured}/${row.expectedFrames}`);
  await L.hold(1500);  // let the server settle the closes
  return row;
}

(async () => {
  // The load clients all come from 127.0.0.1: the per-address cap is raised with the total one.
  const hub = await new L.Hub({ args: ['--no-local', '--simulate', '100', '--max-clients', '1200', '--max-clients-per-address', '1200'] }).start();
  let base = null;
  try {
    for (const k of levels) await level(hub, 'vigil-hub', hub.port, hub.proc.pid, k);
    const h = await hub.healthz();
    rows.push({ server: 'vigil-hub', healthzDroppedClients: h.dropped_clients, healthzRefused: h.refused_clients });
    base = spawn(process.execPath, [path.join(__dirname, 'baseline_server.js'), hub.wsUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise((resolve, reject) => {
      let out = '';
      base.stdout.on('data', (d) => { out += d; const m = /listening [\d.]+:(\d+)/.exec(out); if (m) resolve(Number(m[1])); });
      base.on('exit', () => reject(new Error('baseline server exited')));
      setTimeout(() => reject(new Error('baseline server did not listen')), 10000);
    });
    for (const k of levels) await level(base, 'node-ws', port, base.pid, k);
  } finally {
    if (base) base.kill('SIGKILL');
    await hub.stop().catch(() => {});
  }
  L.writeResult('fanout', partial());
  process.exit(0);
})().catch((e) => { console.error(e); L.writeResult('fanout', { ...partial(), error: String(e.stack || e) }); process.exit(1); });
