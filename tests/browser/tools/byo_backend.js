// A small backend of someone's own for browser.byo_backend: it pushes its own JSON (no Vigil
// protocol) over a WebSocket on a loopback port, in one of three shapes, and answers (or not)
// the page's heartbeat text.
//
//   const b = await new ByoBackend({ shape: 'array' | 'keyed' | 'per_host', intervalMs, heartbeat, reply }).start();
//   shape 'array':    {"ts": <ms>, "servers": [{"name": "db-01", "cpu": 12.5, "memory": {"used_pct": 40}}, ...]}
//   shape 'keyed':    {"type": "metrics", "t": <s>, "hosts": {"db-01": {"cpu": 12.5, "mem": 40}, ...}}
//   shape 'per_host': one message per host: {"host": "db-01", "cpu": 12.5, "mem": 40}
//   heartbeat: the text the page sends; reply: the text answered to it (null: never answers)
//   b.url, b.pings (heartbeats received), b.replies, b.connections, b.set(host, key, value),
//   b.pause(), b.resume(), b.sendRaw(text), b.close()
'use strict';
const { WebSocketServer } = require('ws');

class ByoBackend {
  constructor({ shape, intervalMs = 300, heartbeat = 'ping', reply = null }) {
    Object.assign(this, { shape, intervalMs, heartbeat, reply });
    this.hosts = { 'db-01': { cpu: 12.5, mem: 40 }, 'web-01': { cpu: 3.25, mem: 71 } };
    this.pings = 0;
    this.replies = 0;
    this.connections = 0;
    this.paused = false;
    this.socks = new Set();
  }

  async start() {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => this.wss.once('listening', r));
    this.wss.on('connection', (sock) => {
      this.connections += 1;
      this.socks.add(sock);
      sock.on('close', () => this.socks.delete(sock));
      sock.on('message', (data) => {
        if (data.toString() !== this.heartbeat) return;
        this.pings += 1;
        if (this.reply !== null) {
          this.replies += 1;
          sock.send(this.reply);
        }
      });
    });
    this.timer = setInterval(() => { if (!this.paused) this.push(); }, this.intervalMs);
    return this;
  }

  get url() { return `ws://127.0.0.1:${this.wss.address().port}/stream`; }

  messages() {
    const names = Object.keys(this.hosts);
    if (this.shape === 'array') {
      return [JSON.stringify({ ts: Date.now(), servers: names.map((n) => ({ name: n, cpu: this.hosts[n].cpu, memory: { used_pct: this.hosts[n].mem } })) })];
    }
    if (this.shape === 'keyed') return [JSON.stringify({ type: 'metrics', t: Date.now() / 1000, hosts: this.hosts })];
    return names.map((n) => JSON.stringify({ host: n, ...this.hosts[n] }));
  }

  push() { for (const text of this.messages()) this.sendRaw(text); }
  sendRaw(text) { for (const s of this.socks) s.send(text); }
  set(host, key, value) { this.hosts[host] = { ...(this.hosts[host] || {}), [key]: value }; }
  pause() { this.paused = true; }
  resume() { this.paused = false; }

  close() {
    clearInterval(this.timer);
    for (const s of this.socks) s.terminate();
    return new Promise((r) => this.wss.close(() => r()));
  }
}

module.exports = { ByoBackend };
