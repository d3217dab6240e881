// The high-availability arrangement of issue 14 on loopback ports: a 3-node nats-server cluster
// (JetStream, file storage in a temp folder), N hubs sharing its stream (--nats, replicas 3), and
// a real nginx whose upstream is those hubs (web/nginx.conf.example's several-hubs lines). Every
// process is started here, tracked and stopped by its PID (also when node exits).
//
// Library: const rig = await HaRig.start({hubs: 2, simulate: 8, intervalMs: 200});
//   rig.url (the big screen, through nginx), rig.hubs[i] (harness Hub: kill(), stop(), start()),
//   rig.nats[i] (NatsNode: kill9(), start()), rig.killHub(i), rig.termHub(i), rig.restartHub(i),
//   rig.killNats(i), rig.restartNats(i), rig.writer(), rig.hubOf(clientId), rig.streamLeader(),
//   rig.routedTo(i) (nginx's next connection would go to hub i), rig.stop().
// CLI: node tests/browser/tools/ha_rig.js --demo [--listen 127.0.0.1:8080] [--hubs 2] [--simulate 64]
//   (shell/demo.sh --ha): starts the arrangement, prints the big-screen URL, Ctrl-C stops it all.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..', '..');
// The CLI runs outside ctest: the harness wants these set.
process.env.VIGIL_HUB ||= path.join(ROOT, 'build', 'native', 'src', 'hub', 'vigil-hub');
process.env.VIGIL_SITE ||= path.join(ROOT, 'build', 'wasm', 'site');
const { env, until, tmpDir, freePort, fetchJson, Hub } = require('../lib/harness');
const { NatsClient } = require('./nats_client');

const NATS_BINARY = ['/usr/sbin/nats-server', '/usr/bin/nats-server'].find((p) => fs.existsSync(p)) || '/usr/sbin/nats-server';
const EXAMPLE = path.join(ROOT, 'web', 'nginx.conf.example');
const STREAM = 'VIGIL';

// nats-server and nginx processes of this node process; hubs are the harness's (it kills its own).
const running = new Set();
process.on('exit', () => {
  for (const p of running) { try { p.kill('SIGKILL'); } catch { /* gone */ } }
});

function track(proc) {
  running.add(proc);
  const exited = new Promise((r) => proc.once('exit', (code, signal) => { running.delete(proc); r({ code, signal }); }));
  return exited;
}
const alive = (proc) => !!proc && proc.exitCode === null && proc.signalCode === null;

// One nats-server of the cluster: client, cluster and monitoring ports fixed at construction, so a
// restarted node rejoins under the same name with the same store.
class NatsNode {
  constructor(i, dir) {
    this.i = i;
    this.name = `n${i}`;
    this.store = path.join(dir, this.name);
    fs.mkdirSync(this.store, { recursive: true });
    this.logFile = path.join(dir, `${this.name}.log`);
  }
  get url() { return `nats://127.0.0.1:${this.clientPort}`; }
  get running() { return alive(this.proc); }

  start(peers) {
    const routes = peers.filter((p) => p !== this).map((p) => `nats://127.0.0.1:${p.clusterPort}`).join(',');
    const argv = ['-js', '-a', '127.0.0.1', '-p', String(this.clientPort), '-m', String(this.httpPort), '-sd', this.store,
      '--server_name', this.name, '--cluster_name', 'vigil-ha', '--cluster', `nats://127.0.0.1:${this.clusterPort}`,
      '--routes', routes, '-l', this.logFile];
    this.proc = spawn(NATS_BINARY, argv, { stdio: 'ignore' });
    this.exited = track(this.proc);
  }
  log() { try { return fs.readFileSync(this.logFile, 'utf8'); } catch { return ''; } }
  // 200 once JetStream is up and the cluster's meta leader is known.
  async healthy() {
    const r = await fetch(`http://127.0.0.1:${this.httpPort}/healthz`, { signal: AbortSignal.timeout(500) });
    return r.status === 200;
  }
  async kill(signal = 'SIGKILL') {
    if (!this.running) return;
    this.proc.kill(signal);
    await this.exited;
  }
}

// web/nginx.conf.example with the several-hubs upstream put in place of the single server line
// (least_conn and the server parameters are taken from the example's commented lines, so the
// test runs what the example says), and the marked ports, root and user substituted.
function nginxConfig({ port, hubPorts, root }) {
  let text = fs.readFileSync(EXAMPLE, 'utf8');
  const sub = (re, line) => {
    const n = (text.match(new RegExp(re.source, 'gm')) || []).length;
    if (n !== 1) throw new Error(`web/nginx.conf.example: expected one line matching ${re}, found ${n}`);
    text = text.replace(new RegExp(re.source, 'm'), line);
  };
  const template = /^\s*#\s*server 127\.0\.0\.1:\d+ (.+);$/m.exec(text);
  const balance = /^\s*#\s*(least_conn|ip_hash|hash [^;]+);$/m.exec(text);
  if (!template || !balance) throw new Error('web/nginx.conf.example: the several-hubs lines (# least_conn; # server ... max_fails=...) are missing');
  const servers = hubPorts.map((p) => `        server 127.0.0.1:${p} ${template[1]};`).join('\n');
  sub(/^(\s*)server 127\.0\.0\.1:\d+;.*$/, `        ${balance[1]};\n${servers}`);
  sub(/^(\s*)listen [\d.]+:\d+;.*$/, `        listen 127.0.0.1:${port};`);
  sub(/^(\s*)root \S+;.*$/, `        root ${root};`);
  if (process.getuid && process.getuid() === 0) sub(/^# user www-data;$/, 'user root;');
  return text;
}

class Nginx {
  constructor({ port, hubPorts, root }) {
    this.dir = tmpDir('vigil-ha-nginx-');
    for (const d of ['logs', 'tmp']) fs.mkdirSync(path.join(this.dir, d));
    this.conf = path.join(this.dir, 'nginx.conf');
    fs.writeFileSync(this.conf, nginxConfig({ port, hubPorts, root }));
    this.port = port;
    this.log = '';
  }
  get url() { return `http://127.0.0.1:${this.port}/`; }
  errorLog() { try { return fs.readFileSync(path.join(this.dir, 'logs', 'error.log'), 'utf8'); } catch { return ''; } }
  async start() {
    const proc = spawn(env.nginx, ['-p', this.dir, '-c', this.conf, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    this.exited = track(proc);
    proc.stdout.on('data', (d) => { this.log += d; });
    proc.stderr.on('data', (d) => { this.log += d; });
    await until('nginx to serve the page', async () => {
      if (!alive(proc)) throw new Error(`nginx exited: ${this.log} ${this.errorLog()}`);
      return (await fetch(this.url, { signal: AbortSignal.timeout(1000) })).ok;
    }, 10000, 50).catch((e) => { throw new Error(`${e.message}\n${this.log}\n${this.errorLog()}`); });
    return this;
  }
  async stop() {
    if (!alive(this.proc)) return;
    this.proc.kill('SIGTERM');
    await this.exited;
  }
}

class HaRig {
  // hubs: how many; simulate: the same --simulate fleet on every hub; intervalMs: --interval-ms;
  // port: nginx's (0: a free one); hubArgs: more flags for every hub.
  static async start(opts = {}) {
    const rig = new HaRig(opts);
    try {
      await rig.startAll();
    } catch (e) {
      await rig.stop();
      throw e;
    }
    return rig;
  }

  constructor({ hubs = 2, natsNodes = 3, simulate = 8, intervalMs = 200, port = 0, hubArgs = [], log = () => {} } = {}) {
    this.opts = { hubs, natsNodes, simulate, intervalMs, port, hubArgs };
    this.log = log;
    this.dir = tmpDir('vigil-ha-');
    this.nats = [];
    for (let i = 0; i < natsNodes; ++i) this.nats.push(new NatsNode(i, this.dir));
    this.hubs = [];
    this.nginx = null;
  }

  get url() { return this.nginx.url; }
  get natsUrls() { return this.nats.map((n) => n.url).join(','); }

  async startAll() {
    for (const n of this.nats) {
      n.clientPort = await freePort();
      n.clusterPort = await freePort();
      n.httpPort = await freePort();
    }
    for (const n of this.nats) n.start(this.nats);
    await this.natsReady(30000);
    this.log(`nats: ${this.nats.length} nodes ready (${this.natsUrls})`);
    const { hubs, simulate, intervalMs, hubArgs } = this.opts;
    for (let i = 0; i < hubs; ++i) {
      this.hubs.push(new Hub({
        args: ['--nats', this.natsUrls, '--nats-stream', STREAM, '--nats-replicas', String(Math.min(3, this.nats.length)),
          '--hub-id', `hub${i}`, '--simulate', String(simulate), '--interval-ms', String(intervalMs),
          // Behind nginx every screen comes from 127.0.0.1: one address for the per-address cap.
          '--max-clients-per-address', '1000', ...hubArgs],
      }));
    }
    // The first hub creates the stream and becomes the writer; the others then stand by.
    await this.hubs[0].start();
    await until('hub0 to write', async () => (await this.status(0)).collector === 'writer', 15000, 50);
    for (const h of this.hubs.slice(1)) await h.start();
    this.log(`hubs: ${this.hubs.map((h, i) => `hub${i} :${h.port}`).join(', ')}`);
    this.nginx = await new Nginx({ port: this.opts.port || await freePort(), hubPorts: this.hubs.map((h) => h.port), root: env.site }).start();
    this.log(`nginx: ${this.nginx.url}`);
  }

  async natsReady(timeoutMs = 30000) {
    await until('every running NATS node healthy', async () => {
      for (const n of this.nats) {
        if (!n.running) { if (n.proc) continue; throw new Error(`${n.name} not running: ${n.log().slice(-2000)}`); }
        if (!(await n.healthy())) return false;
      }
      return true;
    }, timeoutMs, 100);
  }

  // A request client on a running node (reconnects each call: the node it used may be killed).
  async natsClient() {
    let last;
    for (const n of this.nats.filter((x) => x.running)) {
      try { return await NatsClient.connect(n.url, 2000); } catch (e) { last = e; }
    }
    throw last || new Error('no NATS node running');
  }

  // The server name (n0, n1, ...) leading the stream now; '' while there is none.
  async streamLeader() {
    const c = await this.natsClient();
    try { return (await c.streamInfo(STREAM)).cluster?.leader || ''; } finally { c.close(); }
  }

  // Reads stored frames back from JetStream: Map seq -> text (null: the stream holds none).
  async streamFrames(seqs) {
    const c = await this.natsClient();
    const out = new Map();
    try {
      const list = [...seqs];
      for (let i = 0; i < list.length; i += 64) {  // 64 requests in flight
        const chunk = list.slice(i, i + 64);
        const texts = await Promise.all(chunk.map((s) => c.get(STREAM, s)));
        chunk.forEach((s, k) => out.set(s, texts[k]));
      }
    } finally { c.close(); }
    return out;
  }

  async status(i) {
    const h = await this.hubs[i].healthz();
    return { ...(h.journal_status || {}), clients: h.clients, head: h.head, ok: h.ok, perClient: h.per_client };
  }
  // Index of the hub whose collector writes now (-1: none reachable says so).
  async writer() {
    for (let i = 0; i < this.hubs.length; ++i) {
      if (!this.hubs[i].running) continue;
      try { if ((await this.status(i)).collector === 'writer') return i; } catch { /* starting or dying */ }
    }
    return -1;
  }
  // Index of the hub holding a socket of this screen (clientId from window.vigil), -1: none.
  async hubOf(clientId) {
    for (let i = 0; i < this.hubs.length; ++i) {
      if (!this.hubs[i].running) continue;
      try { if ((await this.status(i)).perClient?.[clientId]?.current > 0) return i; } catch { /* dying */ }
    }
    return -1;
  }
  // Screens (clients) per running hub.
  async clients() {
    return Promise.all(this.hubs.map(async (h, i) => (h.running ? (await this.status(i).catch(() => ({ clients: 0 }))).clients : 0)));
  }
  // True when nginx sends a new request to hub i now (its /healthz location names the upstream
  // that answered): a restarted hub is back in rotation, its failure mark expired.
  async routedTo(i) {
    const r = await fetch(`${this.nginx.url}healthz`, { signal: AbortSignal.timeout(2000) });
    // $upstream_addr lists every hub tried ("dead, alive"): the last one answered.
    const tried = (r.headers.get('x-vigil-hub') || '').split(',').map((a) => a.trim());
    return tried[tried.length - 1] === `127.0.0.1:${this.hubs[i].port}`;
  }
  async waitRouted(i, timeoutMs = 10000) {
    await until(`nginx to route to hub${i} again`, () => this.routedTo(i), timeoutMs, 100);
  }

  async killHub(i) { await this.hubs[i].kill('SIGKILL'); }
  async termHub(i) { await this.hubs[i].kill('SIGTERM'); }
  async restartHub(i) {
    if (this.hubs[i].running) await this.hubs[i].kill('SIGTERM');
    await this.hubs[i].start();
  }
  async killNats(i) { await this.nats[i].kill('SIGKILL'); }
  async restartNats(i) {
    if (this.nats[i].running) await this.nats[i].kill('SIGTERM');
    this.nats[i].start(this.nats);
    await this.natsReady(30000);
  }

  async stop() {
    await this.nginx?.stop();
    for (const h of this.hubs) await h.kill('SIGKILL').catch(() => {});
    for (const n of this.nats) await n.kill('SIGTERM').catch(() => {});
  }
}

module.exports = { HaRig, NatsNode, Nginx, nginxConfig, STREAM };

if (require.main === module) {
  const argv = process.argv.slice(2);
  const arg = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : dflt; };
  if (!argv.includes('--demo')) {
    console.error('usage: node tests/browser/tools/ha_rig.js --demo [--listen 127.0.0.1:8080] [--hubs 2] [--simulate 64] [--interval-ms 1000]');
    process.exit(2);
  }
  const listen = arg('--listen', '127.0.0.1:8080');
  const port = Number(listen.split(':').pop());
  (async () => {
    const rig = await HaRig.start({ hubs: Number(arg('--hubs', 2)), simulate: Number(arg('--simulate', 64)),
      intervalMs: Number(arg('--interval-ms', 1000)), port, log: (m) => console.log(`ha: ${m}`) });
    console.log(`\nVigil big screen (through nginx, ${rig.hubs.length} hubs on a 3-node JetStream cluster): ${rig.url}`);
    console.log('Try: kill -9 a hub (its PID below): the screens move to another hub. Ctrl-C stops everything.');
    rig.hubs.forEach((h, i) => console.log(`  hub${i} pid ${h.proc.pid} http://127.0.0.1:${h.port}/healthz`));
    rig.nats.forEach((n) => console.log(`  nats ${n.name} pid ${n.proc.pid} ${n.url}`));
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await rig.stop();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  })().catch((e) => { console.error(`ha: ${e.stack || e}`); process.exit(1); });
}
