// Benchmark 11, push ingest: POST /ingest lines per second and per CPU-second of the hub, with
// Telegraf-like bodies of 1,000 lines (100 hosts x cpu, mem, system, 2 net, 2 diskio, 3 cpuN
// lines, nanosecond timestamps, counters rising). Two keep-alive connections post back to back for
// the window; the hub's CPU comes from /proc/PID/stat (user + system) over the same window.
'use strict';
const http = require('node:http');
const L = require('./lib.js');

const windowMs = L.quick ? 3000 : 10000;
const hosts = 100;
const result = { windowMs, hosts, linesPerBody: 0 };
L.deadline('push', 4 * 60 * 1000, () => result);

function body(round) {
  const ts = BigInt(1764138000000 + round * 1000) * 1000000n;
  const c = round * 1000;
  let s = '';
  for (let h = 0; h < hosts; ++h) {
    const t = `,host=node-${String(h).padStart(3, '0')}`;
    s += `cpu,cpu=cpu-total${t} usage_idle=${80 + (h % 10)},usage_user=${10 + (round % 5)},usage_system=3.5 ${ts}\n`;
    for (let i = 0; i < 3; ++i) s += `cpu,cpu=cpu${i}${t} usage_idle=${70 + i},usage_user=20 ${ts}\n`;
    s += `mem${t} used_percent=${40 + (h % 7)},available=123456789i,total=8589934592i ${ts}\n`;
    s += `system${t} load1=0.5,load5=0.4,load15=0.3,n_cpus=4i,n_users=2i ${ts}\n`;
    s += `net${t},interface=eth0 bytes_recv=${1e6 + c * 3}i,bytes_sent=${2e6 + c}i,packets_recv=100i ${ts}\n`;
    s += `net${t},interface=eth1 bytes_recv=${5e5 + c}i,bytes_sent=${1e5 + c}i,packets_recv=10i ${ts}\n`;
    s += `diskio${t},name=sda read_bytes=${4096 * round}i,write_bytes=${8192 * round}i,reads=10i ${ts}\n`;
    s += `diskio${t},name=sda1 read_bytes=${4096 * round}i,write_bytes=${8192 * round}i,reads=10i ${ts}\n`;
  }
  return s;
}

function post(agent, port, text) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/ingest', method: 'POST', agent,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(text);
  });
}

(async () => {
  const hub = await new L.Hub({ args: ['--no-local', '--simulate', '0', '--interval-ms', '1000', '--push-down-intervals', '30'] }).start();
  try {
    const bodies = Array.from({ length: 50 }, (_, i) => body(i + 1));
    result.linesPerBody = bodies[0].split('\n').length - 1;
    result.bodyBytes = Buffer.byteLength(bodies[0]);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    await post(agent, hub.port, bodies[0]);  // warm: the hosts exist, the catalog is sent once
    const pid = hub.proc.pid;
    const c0 = L.procSample(pid);
    const t0 = Date.now();
    let posted = 0, bad = 0, round = 1;
    const worker = async () => {
      while (Date.now() - t0 < windowMs) {
        const status = await post(agent, hub.port, bodies[round++ % bodies.length]);
        if (status === 204) ++posted; else ++bad;
      }
    };
    await Promise.all([worker(), worker()]);
    const c1 = L.procSample(pid);
    const wallS = (c1.t - c0.t) / 1000, cpuS = c1.cpu - c0.cpu;
    const lines = posted * result.linesPerBody;
    Object.assign(result, {
      bodies: posted, notOk: bad, lines, wallS: L.round(wallS, 2), hubCpuS: L.round(cpuS, 2),
      hubCpuPct: L.round((100 * cpuS) / wallS, 1), linesPerS: Math.round(lines / wallS),
      linesPerCpuS: cpuS > 0 ? Math.round(lines / cpuS) : null, mbPerCpuS: cpuS > 0 ? L.round((posted * result.bodyBytes) / cpuS / 1e6, 1) : null,
    });
    const health = await (await fetch(`${hub.url}healthz`)).json();
    result.pushHosts = health.ingest && health.ingest.hosts;
    console.log(`# push ingest: ${posted} bodies of ${result.linesPerBody} lines (${result.bodyBytes} B) in ${wallS.toFixed(1)} s: ` +
      `${result.linesPerS} lines/s; hub CPU ${result.hubCpuPct}% -> ${result.linesPerCpuS} lines per CPU-second (${result.mbPerCpuS} MB/CPU-s); ` +
      `${bad} not 204; ${result.pushHosts} hosts`);
    agent.destroy();
  } catch (e) {
    result.error = String(e.message || e);
    console.error(e);
  } finally {
    await hub.stop();
  }
  L.writeResult('push', result);
})();
