// A TCP proxy between the page and the hub that can fail the way networks fail, without closing
// anything (no FIN, no RST reaches either side):
//   'forward'   pipe bytes both ways (the normal case)
//   'blackhole' a pulled cable: existing connections freeze (bytes in either direction are read
//               and dropped, nobody is told), new connections are accepted by the kernel but
//               never reach the hub, so a WebSocket handshake hangs
//   'stall'     (alias of blackhole for new connections only) existing ones keep forwarding
// Back to 'forward': frozen connections are reset, as a real peer's kernel would answer the
// retransmissions of a socket it has long closed; held connections get connected to the hub with
// what their client sent meanwhile (a SYN retried once the cable is back) unless it gave up.
//
// Usage: const proxy = await new TcpProxy({ targetPort }).start(); proxy.port; proxy.setMode('blackhole')
// As a script: node tcp_proxy.js <listenPort> <targetPort>  (SIGUSR1 toggles blackhole)
'use strict';
const net = require('node:net');

class TcpProxy {
  constructor({ targetPort, targetHost = '127.0.0.1', port = 0, host = '127.0.0.1' }) {
    Object.assign(this, { targetPort, targetHost, port, host });
    this.mode = 'forward';
    this.conns = new Set();     // { client, upstream, frozen }
    this.held = new Set();      // client sockets waiting for the network to come back
    this.buffered = new Map();  // held socket -> what it sent meanwhile
    this.accepted = 0;          // connections accepted, all modes
    this.forwarded = 0;         // connections that reached the hub
  }

  start() {
    this.server = net.createServer((client) => this.onClient(client));
    return new Promise((resolve) => this.server.listen(this.port, this.host, () => {
      this.port = this.server.address().port;
      resolve(this);
    }));
  }

  onClient(client) {
    ++this.accepted;
    client.on('error', () => {});
    if (this.mode === 'forward') return this.connect(client);
    // Hold it: keep what the client sends (its handshake) for later, answer nothing.
    this.held.add(client);
    this.buffered.set(client, []);
    client.on('data', (d) => this.buffered.get(client).push(d));
    client.once('close', () => { this.held.delete(client); this.buffered.delete(client); });
  }

  connect(client, pending = []) {
    ++this.forwarded;
    const upstream = net.connect(this.targetPort, this.targetHost);
    for (const d of pending) upstream.write(d);
    const conn = { client, upstream, frozen: false };
    this.conns.add(conn);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    const pipe = (from, to) => from.on('data', (d) => { if (!conn.frozen) to.write(d); });
    pipe(client, upstream);
    pipe(upstream, client);
    const end = () => {
      this.conns.delete(conn);
      if (conn.frozen) return;  // a pulled cable carries no FIN either
      client.end(); upstream.end();
    };
    client.once('close', end);
    upstream.once('close', end);
    // Half-closes travel while forwarding.
    client.on('end', () => { if (!conn.frozen) upstream.end(); });
    upstream.on('end', () => { if (!conn.frozen) client.end(); });
  }

  setMode(mode) {
    if (!['forward', 'blackhole', 'stall'].includes(mode)) throw new Error(`unknown mode ${mode}`);
    const was = this.mode;
    this.mode = mode;
    if (mode === 'blackhole') for (const c of this.conns) c.frozen = true;
    if (mode === 'forward' && was !== 'forward') {
      for (const c of this.conns) if (c.frozen) { c.client.resetAndDestroy(); c.upstream.resetAndDestroy(); this.conns.delete(c); }
      for (const client of this.held) {
        this.held.delete(client);
        if (client.destroyed || client.readableEnded) continue;
        client.removeAllListeners('data');
        this.connect(client, this.buffered.get(client) || []);  // as a retransmitted SYN would once the cable is back
      }
    }
  }

  // Frozen connections still open, connections held (handshake hanging).
  stats() {
    return { mode: this.mode, accepted: this.accepted, forwarded: this.forwarded, open: this.conns.size, held: this.held.size };
  }

  async close() {
    for (const c of this.conns) { c.client.destroy(); c.upstream.destroy(); }
    for (const c of this.held) c.destroy();
    await new Promise((r) => this.server.close(r));
  }
}

module.exports = { TcpProxy };

if (require.main === module) {
  const [listenPort, targetPort] = process.argv.slice(2).map(Number);
  new TcpProxy({ port: listenPort, targetPort }).start().then((p) => {
    console.log(`proxy 127.0.0.1:${p.port} -> ${targetPort}; kill -USR1 ${process.pid} toggles blackhole`);
    process.on('SIGUSR1', () => { p.setMode(p.mode === 'forward' ? 'blackhole' : 'forward'); console.log(`mode ${p.mode}`); });
  });
}
