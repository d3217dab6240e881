// Scrape targets for tests and benchmarks: real prometheus-node-exporter processes on loopback
// ports (made to differ by collector set and textfile-collector files), a target answering
// malformed text and one that accepts and never answers. All stopped by PID, also at exit.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { freePort, until, tmpDir } = require('../lib/harness');

const BINARY = process.env.VIGIL_NODE_EXPORTER || '/usr/bin/prometheus-node-exporter';

// Every exporter this process started, killed however node exits (a test that throws included).
// (Textfile folders are the harness's tmpDir(): removed at exit too.)
const running = new Set();
process.on('exit', () => {
  for (const p of running) { try { p.kill('SIGKILL'); } catch { /* gone */ } }
});

// One real node_exporter. collectors: null (the package's defaults) or a list of collector names
// to enable alone (--collector.disable-defaults). textfiles: {"name.prom": text}, served by the
// textfile collector from a folder of its own (the collector is turned on for it).
class NodeExporter {
  constructor({ collectors = null, textfiles = null, port = 0, name = 'node' } = {}) {
    this.collectors = collectors;
    this.name = name;
    this.port = port;
    this.dir = null;
    if (textfiles) {
      this.dir = tmpDir('vigil-textfile-');
      for (const [file, text] of Object.entries(textfiles)) this.setTextfile(file, text);
    }
    this.proc = null;
    this.log = '';
  }

  get address() { return `127.0.0.1:${this.port}`; }
  get url() { return `http://${this.address}/metrics`; }
  get running() { return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null; }
  get pid() { return this.proc ? this.proc.pid : null; }

  // Written whole then renamed in: the collector never reads half a file.
  setTextfile(file, text) {
    const tmp = path.join(this.dir, `.${file}.tmp`);
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, path.join(this.dir, file));
  }

  argv() {
    const a = [`--web.listen-address=${this.address}`];
    if (this.collectors) {
      a.push('--collector.disable-defaults');
      for (const c of this.collectors) a.push(`--collector.${c}`);
    }
    if (this.dir) {
      if (this.collectors && !this.collectors.includes('textfile')) a.push('--collector.textfile');
      a.push(`--collector.textfile.directory=${this.dir}`);
    }
    return a;
  }

  // Starts on this.port (a free one the first time; the same one on a restart); resolves when
  // /metrics answers 200.
  async start(timeoutMs = 15000) {
    if (!this.port) this.port = await freePort();
    const proc = spawn(BINARY, this.argv(), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    running.add(proc);
    this.exited = new Promise((r) => proc.once('exit', (code, signal) => { running.delete(proc); r({ code, signal }); }));
    proc.stderr.on('data', (d) => { this.log = (this.log + d).slice(-8192); });
    let early = null;
    this.exited.then((e) => { early = e; });
    await until(`${this.name} (${this.address}) to answer /metrics`, async () => {
      if (early) throw new Error(`node_exporter exited ${JSON.stringify(early)}: ${this.log}`);
      const r = await fetch(this.url, { signal: AbortSignal.timeout(2000) });
      await r.arrayBuffer();
      return r.ok;
    }, timeoutMs, 50).catch((e) => { throw new Error(`${e.message}\n${this.log}`); });
    return this;
  }

  async kill(signal = 'SIGKILL') {
    if (!this.running) return;
    this.proc.kill(signal);
    await this.exited;
  }
  stop() { return this.kill('SIGTERM'); }

  async metricsText() {
    const r = await fetch(this.url, { signal: AbortSignal.timeout(5000) });
    if (!r.ok) throw new Error(`${this.url}: HTTP ${r.status}`);
    return r.text();
  }
}

// Unlabelled or labelled samples of one metric name from an exposition text: [{labels, value}].
function samplesOf(text, name) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = {};
    if (m[2]) for (const lm of m[2].matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) labels[lm[1]] = lm[2];
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}
function valueOf(text, name) {
  const s = samplesOf(text, name);
  return s.length ? s[0].value : undefined;
}
// The screen's mem (node profile): 100 x (1 - MemAvailable / MemTotal).
function memPct(text) {
  const avail = valueOf(text, 'node_memory_MemAvailable_bytes');
  const total = valueOf(text, 'node_memory_MemTotal_bytes');
  return avail === undefined || !total ? undefined : 100 * (1 - avail / total);
}

// An HTTP target answering 200 with text that is not the exposition format (every line broken).
async function malformedTarget(body = 'this is not an exposition\n{{{ "cpu": 12 }}}\nnode_load1 {oops 1\n') {
  const srv = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(body);
  });
  srv.requests = 0;
  srv.on('request', () => { ++srv.requests; });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const port = srv.address().port;
  return {
    address: `127.0.0.1:${port}`, port, get requests() { return srv.requests; },
    close: () => new Promise((r) => { srv.closeAllConnections?.(); srv.close(r); }),
  };
}

// A TCP target that accepts and never says a word (the scrape must time out). Sockets held are
// destroyed on close().
async function silentTarget() {
  const sockets = new Set();
  let accepted = 0;
  const srv = net.createServer((s) => {
    ++accepted;
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const port = srv.address().port;
  return {
    address: `127.0.0.1:${port}`, port, get accepted() { return accepted; },
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); srv.close(r); }),
  };
}

module.exports = { NodeExporter, BINARY, freePort, samplesOf, valueOf, memPct, malformedTarget, silentTarget };
