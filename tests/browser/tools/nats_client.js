// A minimal NATS request client (the text protocol over TCP) for reading a JetStream stream back
// as a third party: stream info (its leader) and stored messages by seq. No npm NATS package here.
'use strict';
const net = require('node:net');
const crypto = require('node:crypto');

class NatsClient {
  // url: nats://host:port. Resolves once the server answered CONNECT + PING.
  static connect(url, timeoutMs = 3000) {
    const { hostname, port } = new URL(url);
    const c = new NatsClient();
    return new Promise((resolve, reject) => {
      const sock = net.connect({ host: hostname, port: Number(port) });
      c.sock = sock;
      const timer = setTimeout(() => { sock.destroy(); reject(new Error(`${url}: no NATS answer within ${timeoutMs} ms`)); }, timeoutMs);
      c.ready = () => { clearTimeout(timer); resolve(c); };
      sock.on('data', (d) => c.onData(d));
      sock.on('error', (e) => { clearTimeout(timer); c.fail(e); reject(e); });
      sock.on('close', () => c.fail(new Error(`${url}: connection closed`)));
    });
  }

  constructor() {
    this.buf = Buffer.alloc(0);
    this.inbox = `_INBOX.${crypto.randomBytes(8).toString('hex')}`;
    this.next = 0;
    this.pending = new Map();  // reply subject -> {resolve, reject, timer}
    this.connected = false;
  }

  fail(e) {
    for (const p of this.pending.values()) { clearTimeout(p.timer); p.reject(e); }
    this.pending.clear();
  }

  onData(d) {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const eol = this.buf.indexOf('\r\n');
      if (eol < 0) return;
      const line = this.buf.subarray(0, eol).toString();
      const op = line.split(' ', 1)[0].toUpperCase();
      if (op === 'MSG' || op === 'HMSG') {
        const parts = line.split(' ');
        const total = Number(parts[parts.length - 1]);
        const hdrLen = op === 'HMSG' ? Number(parts[parts.length - 2]) : 0;
        if (this.buf.length < eol + 2 + total + 2) return;  // the payload is not all here yet
        const body = this.buf.subarray(eol + 2, eol + 2 + total);
        this.buf = this.buf.subarray(eol + 2 + total + 2);
        this.deliver(parts[1], body.subarray(0, hdrLen).toString(), body.subarray(hdrLen));
        continue;
      }
      this.buf = this.buf.subarray(eol + 2);
      if (op === 'INFO' && !this.connected) {
        this.connected = true;
        this.sock.write('CONNECT {"verbose":false,"pedantic":false,"headers":true,"no_responders":true,"lang":"node","version":"0"}\r\n'
          + `SUB ${this.inbox}.* 1\r\nPING\r\n`);
      } else if (op === 'PONG' && this.ready) {
        const r = this.ready; this.ready = null; r();
      } else if (op === 'PING') {
        this.sock.write('PONG\r\n');
      } else if (op === '-ERR') {
        this.fail(new Error(`NATS: ${line}`));
      }
    }
  }

  deliver(subject, headers, payload) {
    const p = this.pending.get(subject);
    if (!p) return;
    this.pending.delete(subject);
    clearTimeout(p.timer);
    if (/^NATS\/1\.0 503/.test(headers)) p.reject(new Error('NATS: no responders'));
    else p.resolve(payload);
  }

  request(subject, data = '', timeoutMs = 3000) {
    const reply = `${this.inbox}.${++this.next}`;
    const body = Buffer.from(data);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.pending.delete(reply); reject(new Error(`NATS: no reply to ${subject} within ${timeoutMs} ms`)); }, timeoutMs);
      this.pending.set(reply, { resolve, reject, timer });
      this.sock.write(`PUB ${subject} ${reply} ${body.length}\r\n`);
      this.sock.write(body);
      this.sock.write('\r\n');
    });
  }

  async jsApi(subject, data) {
    const j = JSON.parse((await this.request(`$JS.API.${subject}`, data === undefined ? '' : JSON.stringify(data))).toString());
    if (j.error) throw Object.assign(new Error(`JetStream ${subject}: ${j.error.description} (${j.error.code})`), { code: j.error.code });
    return j;
  }

  streamInfo(stream) { return this.jsApi(`STREAM.INFO.${stream}`); }

  // The stored message's data as a string, or null when the stream holds none under seq.
  async get(stream, seq) {
    try {
      const j = await this.jsApi(`STREAM.MSG.GET.${stream}`, { seq });
      return Buffer.from(j.message.data || '', 'base64').toString();
    } catch (e) {
      if (e.code === 404) return null;
      throw e;
    }
  }

  close() { this.fail(new Error('closed')); this.sock.destroy(); }
}

module.exports = { NatsClient };
