// Behind a real nginx: the page served by nginx as a static host with /ws proxied to the hub,
// using web/nginx.conf.example itself (ports, root, upstream substituted; proxy_read_timeout 3s).
//  1. The connection stays up 30 s with no reconnect; nginx restarted (stop, start) -> LIVE again
//     with nothing missing.
//  2. A quiet hub (a frame every 10 s) behind proxy_read_timeout 3s: only the page's
//     heartbeat (a ping after 2 s of silence, answered by a pong) crosses the proxy, and it alone
//     keeps the connection up for 30 s. (With the former 3 s ping the 3s proxy won every race:
//     finding F2.)
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { env, until, hold, summary, tmpDir, freePort, launchBrowser, Hub, openPage, withArtifacts } = require('./lib/harness');

const EXAMPLE = path.join(__dirname, '..', '..', 'web', 'nginx.conf.example');
const skip = fs.existsSync(env.nginx) ? false : `no nginx at ${env.nginx} (shell/setup.sh installs nginx-light)`;

// web/nginx.conf.example with the marked values replaced; each must be found exactly once.
function nginxConfig({ port, hubPort, root, readTimeout }) {
  let text = fs.readFileSync(EXAMPLE, 'utf8');
  const sub = (re, line) => {
    const n = (text.match(new RegExp(re.source, 'gm')) || []).length;
    assert.equal(n, 1, `web/nginx.conf.example: expected one line matching ${re}`);
    text = text.replace(new RegExp(re.source, 'm'), line);
  };
  sub(/^(\s*)server 127\.0\.0\.1:\d+;.*$/, `        server 127.0.0.1:${hubPort};`);
  sub(/^(\s*)listen [\d.]+:\d+;.*$/, `        listen 127.0.0.1:${port};`);
  sub(/^(\s*)root \S+;.*$/, `        root ${root};`);
  sub(/^(\s*)proxy_read_timeout \S+;.*$/, `            proxy_read_timeout ${readTimeout};`);
  // As root, nginx would run its workers as nobody, who may not read the build folder.
  if (process.getuid && process.getuid() === 0) sub(/^# user www-data;$/, 'user root;');
  return text;
}

class Nginx {
  constructor(opts) {
    this.dir = tmpDir('vigil-nginx-');
    for (const d of ['logs', 'tmp']) fs.mkdirSync(path.join(this.dir, d));
    this.conf = path.join(this.dir, 'nginx.conf');
    fs.writeFileSync(this.conf, nginxConfig(opts));
    this.port = opts.port;
    this.log = '';
  }
  get url() { return `http://127.0.0.1:${this.port}/`; }
  async start() {
    const proc = spawn(env.nginx, ['-p', this.dir, '-c', this.conf, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    this.exited = new Promise((r) => proc.once('exit', (code, signal) => r({ code, signal })));
    proc.stdout.on('data', (d) => { this.log += d; });
    proc.stderr.on('data', (d) => { this.log += d; });
    let exitedEarly = null;
    this.exited.then((e) => { exitedEarly = e; });
    await until('nginx to serve the page', async () => {
      if (exitedEarly) throw new Error(`nginx exited ${JSON.stringify(exitedEarly)}: ${this.log} ${this.errorLog()}`);
      const r = await fetch(this.url, { signal: AbortSignal.timeout(1000) });
      return r.ok;
    }, 10000, 50).catch((e) => { throw new Error(`${e.message}\n${this.log}\n${this.errorLog()}`); });
    return this;
  }
  errorLog() { try { return fs.readFileSync(path.join(this.dir, 'logs', 'error.log'), 'utf8'); } catch { return ''; } }
  async stop() {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill('SIGTERM');  // fast shutdown: every connection is closed
    await this.exited;
  }
}

// Samples the page for ms (the scenario's fixed "stay up" time); stops at the first sample that
// is not LIVE or shows a new attempt. Returns { samples, broke }.
async function stayUp(p, ms, first) {
  const samples = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await p.vigil();
    samples.push(v);
    if (v.state !== 'LIVE' || v.attempts !== first.attempts) return { samples, broke: v };
    await hold(250);
  }
  return { samples, broke: null };
}

test('behind nginx (proxy_read_timeout 3s): up 30 s with no reconnect; nginx restarted -> LIVE, nothing missing', { skip }, async () => {
  // The page comes from nginx's origin and the example passes the browser's Host on (`$http_host`,
  // port included): the hub's same-origin default admits it with no --allow-origin.
  const port = await freePort();
  const hub = await new Hub().start();
  const nginx = new Nginx({ port, hubPort: hub.port, root: env.site, readTimeout: '3s' });
  await nginx.start();
  const browser = await launchBrowser();
  const p = await openPage(browser, nginx.url, 'nginx');
  try {
    await withArtifacts([p], async () => {
      const first = await p.waitLive();
      assert.equal(first.url, `ws://127.0.0.1:${nginx.port}/ws`, 'the page connects to where it came from');
      const connectsBefore = (await hub.healthz()).connects_total;

      // 30 s through the proxy: LIVE in every sample, no close, no new attempt.
      const { samples, broke } = await stayUp(p, 30000, first);
      const after30 = samples[samples.length - 1];
      assert.ok(broke === null, `LIVE throughout with no new attempt (broke after ${samples.length * 0.25} s: ${broke?.state} ${broke?.lastCloseCode} ${broke?.reason})`);
      assert.equal(after30.attempts, first.attempts, 'no reconnect in 30 s');
      assert.equal(after30.closes, first.closes, 'no close in 30 s');
      assert.equal(after30.deadPeers, 0);
      assert.equal((await hub.healthz()).connects_total, connectsBefore, 'the hub saw no new connection');

      // nginx restarted: the socket drops, the page comes back through the new nginx.
      const stoppedAt = Date.now();
      await nginx.stop();
      await p.waitFor('leaves LIVE when nginx goes', (v) => v.link !== 'open', 10000, 20);
      const detectMs = Date.now() - stoppedAt;
      const startedAt = Date.now();
      await nginx.start();
      const back = await p.waitFor('LIVE through the new nginx', (v) => v.state === 'LIVE' && v.opens > after30.opens, 10000, 20);
      const recoverMs = Date.now() - startedAt;
      const caught = await until('caught up with the hub', async () => {
        const [h, v] = await Promise.all([hub.healthz(), p.vigil()]);
        return v.seq >= h.head && v;
      }, 10000, 100);
      assert.equal(caught.missing, 0, 'the hub replayed the restart gap');
      assert.equal(caught.frames - first.frames, caught.seq - first.seq, 'every seq applied once');
      assert.ok(back.liveSockets <= 1);
      assert.ok(recoverMs <= 4000, `LIVE ${recoverMs} ms after nginx listened again`);
      await p.assertNotReloaded();
      summary('nginx', { up_30s_reconnects: after30.attempts - first.attempts, detect_ms: detectMs, recover_ms: recoverMs,
        missing: caught.missing });
    });
  } finally {
    await p.close();
    await browser.close();
    await nginx.stop();
    await hub.kill();
  }
});

for (const readTimeout of ['3s']) {  // 5s passes too; 3s is the stricter one
  test(`quiet hub (a frame every 10 s) behind proxy_read_timeout ${readTimeout}: the heartbeat alone keeps it up 30 s`, { skip }, async () => {
    const port = await freePort();
    const hub = await new Hub({ args: ['--interval-ms', '10000'] }).start();
    const nginx = new Nginx({ port, hubPort: hub.port, root: env.site, readTimeout });
    await nginx.start();
    const browser = await launchBrowser();
    const p = await openPage(browser, nginx.url, `nginx-quiet-${readTimeout}`);
    try {
      await withArtifacts([p], async () => {
        const first = await p.waitLive();
        const { samples, broke } = await stayUp(p, 30000, first);
        const last = samples[samples.length - 1];
        assert.ok(broke === null, `LIVE throughout with no new attempt (broke after ${(samples.length * 0.25).toFixed(1)} s: ${broke?.state}, last close ${broke?.lastCloseCode} ${broke?.lastCloseReason}, ${broke?.reason})`);
        assert.ok(last.pingsSent - first.pingsSent >= 6, `the heartbeat did the work: ${last.pingsSent - first.pingsSent} pings in 30 s`);
        assert.equal(last.closes, first.closes);
        assert.equal(last.deadPeers, 0);
        await p.assertNotReloaded();
        summary(`nginx-quiet-${readTimeout}`, { reconnects: last.attempts - first.attempts, pings: last.pingsSent - first.pingsSent,
          rtt_ms: last.rttMs });
      });
    } finally {
      await p.close();
      await browser.close();
      await nginx.stop();
      await hub.kill();
    }
  });
}
