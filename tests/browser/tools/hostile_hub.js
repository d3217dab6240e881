// A hub that speaks just enough of the protocol (welcome, catalog, samples) to get the page LIVE,
// and then whatever the test asks for: malformed JSON, binary frames, huge frames, deep nesting,
// wrong types, NaN, unknown types, seqs backwards and duplicated, floods. Serve the page from the
// real hub and point it here with ?ws=ws://127.0.0.1:<port>/.
//
//   const h = await new HostileHub().start();   h.port, h.url
//   await h.connected();                         resolves with the socket once a page said hello
//   h.good(cpu)                                  the next samples frame (seq + 1) with cpu = value
//   h.bad(kind)                                  one bad message; returns the rejection kind the
//                                                page must count (PROTOCOL.md "Validation")
//   h.raw(text | Buffer)                         anything
//   await h.flood({ perSecond, seconds, badEvery })  good frames (and one bad kind every badEvery)
// As a script: node hostile_hub.js [port]  -> sends every bad kind once a second, forever.
'use strict';
const { WebSocketServer } = require('ws');

// Built once: making 50 MB of text takes a while and must not count as the page's waiting time.
let huge = null;
const HUGE = () => (huge ||= Buffer.from(`{"type":"catalog","hosts":[],"pad":"${'x'.repeat(50 * 1024 * 1024)}"}`));

const BAD = {
  // kind -> [what the page must count, message factory(hub)]
  malformed_json: ['bad_json', () => '{"type":"samples","seq":'],
  trailing_garbage: ['bad_json', () => '{"type":"live","head":1} x'],
  binary: ['binary', () => Buffer.from([0x7b, 0x7d, 0x00, 0xff])],
  not_object: ['not_object', () => '[{"type":"samples"}]'],
  deep_nesting: ['too_deep', () => `{"type":"catalog","hosts":${'['.repeat(100000)}${']'.repeat(100000)}}`],
  wrong_type_seq: ['bad_field', (h) => `{"type":"samples","seq":"${h.seq + 1}","t":${Date.now()},"hosts":{}}`],
  wrong_type_hosts: ['bad_field', (h) => `{"type":"samples","seq":${h.seq + 1},"t":${Date.now()},"hosts":[1,2]}`],
  fractional_seq: ['bad_field', (h) => `{"type":"samples","seq":${h.seq + 1}.0,"t":${Date.now()},"hosts":{}}`],
  nan_literal: ['bad_json', (h) => `{"type":"samples","seq":${h.seq + 1},"t":${Date.now()},"hosts":{"h1":{"cpu":NaN}}}`],
  infinity_literal: ['bad_json', (h) => `{"type":"samples","seq":${h.seq + 1},"t":${Date.now()},"hosts":{"h1":{"cpu":Infinity}}}`],
  overflow_number: ['bad_json', (h) => `{"type":"samples","seq":${h.seq + 1},"t":${Date.now()},"hosts":{"h1":{"cpu":1e400}}}`],
  unknown_type: ['bad_type', () => '{"type":"weather","sky":"grey"}'],
  missing_type_no_numbers: ['bad_type', () => '{"hello":"there"}'],
  empty_epoch: ['bad_field', () => '{"type":"welcome","v":1,"epoch":"","head":0,"oldest":0,"interval_ms":1000}'],
  gap_inverted: ['bad_field', () => '{"type":"gap","from":9,"to":3}'],
  long_id: ['too_big', (h) => `{"type":"samples","seq":${h.seq + 1},"t":${Date.now()},"hosts":{"${'h'.repeat(300)}":{"cpu":1}}}`],
  // Already applied: the last good frame again.
  seq_duplicate: ['seq_duplicate', (h) => h.frame(h.seq, -1)],
  // Older than the last applied and never applied itself: a seq inside a gap the hub left
  // (see skipAhead(), which leaves one first).
  seq_backwards: ['seq_backwards', (h) => h.frame(h.holeSeq, -2)],
  // 50 MB of text: refused by size before any parsing.
  huge: ['too_big', () => HUGE()],
};

class HostileHub {
  constructor({ port = 0, host = '127.0.0.1', epoch = 'e-hostile', intervalMs = 1000 } = {}) {
    Object.assign(this, { port, host, epoch, intervalMs });
    this.seq = 0;
    this.holeSeq = null;
    this.sock = null;
    this.hellos = [];
    this.connections = 0;
    this.sentGood = 0;
    this.expected = {};  // kind -> count the page must have rejected
  }

  start() {
    this.wss = new WebSocketServer({ host: this.host, port: this.port, maxPayload: 1 << 20 });
    this.wss.on('connection', (sock) => {
      ++this.connections;
      sock.on('error', () => {});
      sock.on('message', (data, isBinary) => {
        if (isBinary) return;
        let m;
        try { m = JSON.parse(data.toString()); } catch { return; }
        if (m.type === 'hello') {
          this.hellos.push(m);
          this.sock = sock;
          sock.send(JSON.stringify({ type: 'welcome', v: 1, epoch: this.epoch, head: this.seq, oldest: this.seq ? 1 : 0, hub: 'hostile', interval_ms: this.intervalMs }));
          sock.send(JSON.stringify({ type: 'catalog', hosts: [{ id: 'h1', name: 'hostile-1', metrics: [{ key: 'cpu', unit: '%' }, { key: 'mem', unit: '%' }] }] }));
          sock.send(JSON.stringify({ type: 'live', head: this.seq }));
          this.good(0);
          if (this.onHello) this.onHello(sock, m);
        } else if (m.type === 'ping') {
          sock.send(JSON.stringify({ type: 'pong', t: m.t, hub_t: Date.now() }));
        }
      });
    });
    return new Promise((resolve) => this.wss.once('listening', () => {
      this.port = this.wss.address().port;
      resolve(this);
    }));
  }

  get url() { return `ws://127.0.0.1:${this.port}/`; }

  connected(timeoutMs = 20000) {
    if (this.sock && this.sock.readyState === 1) return Promise.resolve(this.sock);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no page said hello to the hostile hub')), timeoutMs);
      this.onHello = (sock) => { clearTimeout(timer); this.onHello = null; resolve(sock); };
    });
  }

  frame(seq, cpu) {
    return `{"type":"samples","seq":${seq},"t":${Date.now()},"hosts":{"h1":{"cpu":${cpu},"mem":${seq % 100}}}}`;
  }

  raw(data) { this.sock.send(data); }

  // The next frame, applied by the page: cpu = value marks it.
  good(cpu) {
    this.seq += 1;
    ++this.sentGood;
    this.sock.send(this.frame(this.seq, cpu));
  }

  // Jumps the seq forward by n + 1, leaving a hole of n seqs the page counts as missing; the hole's
  // first seq is kept for seq_backwards.
  skipAhead(n, cpu) {
    this.holeSeq = this.seq + 1;
    this.seq += n;
    this.good(cpu);
  }

  bad(kind) {
    const entry = BAD[kind];
    if (!entry) throw new Error(`unknown bad kind ${kind}`);
    if (kind === 'seq_backwards' && this.holeSeq === null) throw new Error('seq_backwards needs skipAhead() first');
    this.expected[entry[0]] = (this.expected[entry[0]] || 0) + 1;
    const data = entry[1](this);
    this.sock.send(data, { binary: kind === 'binary' });
    return entry[0];
  }

  // perSecond messages for `seconds`, sent in 10 ms batches: good frames, one bad message
  // (cycling through `badKinds`) every `badEvery`. Resolves when all are handed to the socket.
  async flood({ perSecond = 10000, seconds = 3, badEvery = 0, badKinds = ['malformed_json', 'unknown_type', 'binary', 'seq_duplicate'] } = {}) {
    const t0 = Date.now();
    const end = t0 + seconds * 1000;
    let n = 0, b = 0;
    for (let now = t0; now < end; now = Date.now()) {
      // Catch up with the schedule (timers fire late on a busy machine), then yield ~5 ms.
      const due = Math.floor(((now - t0) / 1000) * perSecond);
      while (n < due) {
        ++n;
        if (badEvery && n % badEvery === 0) this.bad(badKinds[b++ % badKinds.length]);
        else this.good(n % 100);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    return n;
  }

  async close() {
    for (const c of this.wss.clients) c.terminate();
    await new Promise((r) => this.wss.close(r));
  }
}

module.exports = { HostileHub, BAD_KINDS: Object.keys(BAD) };

if (require.main === module) {
  new HostileHub({ port: Number(process.argv[2] || 0) }).start().then((h) => {
    console.log(`hostile hub on ${h.url}`);
    const kinds = Object.keys(BAD).filter((k) => k !== 'huge' && k !== 'seq_backwards');
    let i = 0;
    setInterval(() => {
      if (!h.sock || h.sock.readyState !== 1) return;
      h.good(i % 100);
      h.bad(kinds[i++ % kinds.length]);
    }, 1000);
  });
}
