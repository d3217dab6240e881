// A small protocol-v1 hub (src/protocol/PROTOCOL.md) whose every message a test controls: the
// catalog (and sending it again), which metrics each host's samples carry, hosts not in the
// catalog, a replay of a backlog before `live` (paced, so a test sees it), a first frame held
// back, pongs without hub_t, raw text, catalog labels, hosts DOWN (samples.down). Frames tick
// every intervalMs once started.
'use strict';
const { WebSocketServer } = require('ws');

class ScriptedHub {
  constructor({ intervalMs = 1000, hosts = [{ id: 'a', name: 'alpha' }], metrics = ['cpu', 'mem', 'net_rx', 'net_tx'],
    epoch = 'e-scripted', backlog = 0, replayEveryMs = 0, firstFrameDelayMs = 0, pongHubT = true, port = 0 } = {}) {
    Object.assign(this, { intervalMs, epoch, backlog, replayEveryMs, firstFrameDelayMs, pongHubT, port });
    this.hosts = hosts.map((h) => ({ ...h }));
    this.metrics = metrics.slice();
    this.omit = new Set();       // metric keys left out of every frame from now on
    this.extraHosts = {};        // host id -> values sent in frames but never in the catalog
    this.down = {};              // host id -> {reason, since}: DOWN in every frame (samples.down), no values
    this.seq = 0;
    this.socks = new Set();
    this.sentLive = 0;           // `live` messages sent
    this.liveAt = [];            // Date.now() of each
    this.pings = 0;
  }

  catalogText() {
    return JSON.stringify({
      type: 'catalog',
      hosts: this.hosts.map((h) => ({ id: h.id, name: h.name || h.id, ...(h.labels ? { labels: h.labels } : {}),
        metrics: (h.metrics || this.metrics).map((k) => ({ key: k, unit: k === 'cpu' || k === 'mem' ? '%' : (k.startsWith('net') ? 'B/s' : ''),
          ...(h.thresholds && h.thresholds[k] ? h.thresholds[k] : {}) })) })),
    });
  }

  frameText(seq, t = Date.now()) {
    const hosts = {};
    for (const h of this.hosts) {
      if (h.silent || this.down[h.id]) continue;
      const v = {};
      for (const k of h.metrics || this.metrics) if (!this.omit.has(k) && !(h.omit && h.omit.includes(k))) v[k] = h.values && k in h.values ? h.values[k] : 10 + (seq % 7);
      hosts[h.id] = v;
    }
    Object.assign(hosts, this.extraHosts);
    const down = Object.keys(this.down).length ? { down: this.down } : {};
    return JSON.stringify({ type: 'samples', seq, t, hosts, ...down });
  }

  start() {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: this.port });
    this.wss.on('connection', (sock) => {
      sock.on('error', () => {});
      sock.on('message', (data) => {
        let m;
        try { m = JSON.parse(data.toString()); } catch { return; }
        if (m.type === 'hello') this.onHello(sock, m);
        else if (m.type === 'ping') {
          ++this.pings;
          sock.send(JSON.stringify(this.pongHubT ? { type: 'pong', t: m.t, hub_t: Date.now() } : { type: 'pong', t: m.t }));
        }
      });
      sock.on('close', () => this.socks.delete(sock));
    });
    return new Promise((resolve) => this.wss.once('listening', () => resolve(this)));
  }

  // welcome (head = seq + backlog), catalog, the backlog replayed (paced by replayEveryMs), live,
  // then this socket gets the ticking frames.
  async onHello(sock, hello) {
    const head = this.seq + this.backlog;
    sock.send(JSON.stringify({ type: 'welcome', v: 1, epoch: this.epoch, head, oldest: head ? 1 : 0, interval_ms: this.intervalMs }));
    sock.send(this.catalogText());
    const now = Date.now();
    for (let i = 1; i <= this.backlog; ++i) {
      const seq = this.seq + i;
      sock.send(this.frameText(seq, now - (this.backlog - i + 1) * this.intervalMs));
      if (this.replayEveryMs) await new Promise((r) => setTimeout(r, this.replayEveryMs));
      if (sock.readyState !== 1) return;
    }
    this.seq = head;
    this.backlog = 0;
    sock.send(JSON.stringify({ type: 'live', head }));
    ++this.sentLive;
    this.liveAt.push(Date.now());
    if (this.firstFrameDelayMs) await new Promise((r) => setTimeout(r, this.firstFrameDelayMs));
    this.firstFrameDelayMs = 0;
    this.socks.add(sock);
    this.hello = hello;
    if (!this.timer) this.timer = setInterval(() => this.tick(), this.intervalMs);
  }

  tick() {
    this.seq += 1;
    const text = this.frameText(this.seq);
    for (const s of this.socks) s.send(text);
  }

  broadcast(text) { for (const s of this.socks) s.send(text); }
  sendCatalog() { this.broadcast(this.catalogText()); }

  get url() { return `ws://127.0.0.1:${this.wss.address().port}/`; }

  close() {
    clearInterval(this.timer);
    for (const s of this.socks) s.terminate();
    this.wss.close();
  }
}

module.exports = { ScriptedHub };
