// Bad input gets a clear, visible answer: a hub URL that cannot work shows CONNECTING (it never
// connected) with the reason (never a blank canvas), and malformed messages are counted and ignored while the good
// ones around them still apply.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { WebSocketServer } = require('ws');
const { launchBrowser, until, Hub, openPage, withArtifacts } = require('./lib/harness');

let hub, browser;
test.before(async () => {
  hub = await new Hub().start();
  browser = await launchBrowser();
});
test.after(async () => {
  await browser?.close();
  await hub?.kill('SIGTERM');
});

for (const [label, ws, reasonPattern] of [
  ['malformed-url', 'not a url', /malformed URL|not a ws/],
  ['wrong-scheme', 'http://127.0.0.1:1/ws', /not a ws/],
  ['unknown-host', 'ws://no-such-host.invalid/ws', /.+/],
]) {
  test(`?ws=${ws} shows CONNECTING with the reason (${label})`, async () => {
    const p = await openPage(browser, `${hub.url}?ws=${encodeURIComponent(ws)}`, `bad-input-${label}`);
    try {
      await withArtifacts([p], async () => {
        // Never opened: CONNECTING with its attempts, not RECONNECTING (issue 10, item 4).
        const v = await until('CONNECTING with a reason', async () => {
          const s = await p.vigil();
          return s && s.state === 'CONNECTING' && s.attempts >= 2 && reasonPattern.test(s.reason) && s;
        }, 20000);
        assert.equal(v.opens, 0);
        assert.ok(v.liveSockets <= 1, `at most one socket at a time (${v.liveSockets})`);
      });
    } finally {
      await p.context.close();
    }
  });
}

test('malformed messages are counted and ignored; good ones around them apply', async () => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (sock) => {
    sock.send('{"cpu": 11');                  // malformed JSON
    sock.send('[1,2,3]');                     // not an object
    sock.send('{"type":"no-such-type"}');     // unknown type
    sock.send(Buffer.from([0, 1, 2, 3]));     // binary
    sock.send('{"cpu": 42.5, "mem": 17}');    // good: a legacy push
    sock.send('{"type":"samples","seq":"x","t":1,"hosts":{}}');  // wrong type of field
  });
  const url = `ws://127.0.0.1:${wss.address().port}/`;
  const p = await openPage(browser, `${hub.url}?ws=${encodeURIComponent(url)}`, 'bad-input-messages');
  try {
    await withArtifacts([p], async () => {
      const v = await until('five rejections and the good value', async () => {
        const s = await p.vigil();
        return s && s.rejected >= 5 && s.values.cpu === 42.5 && s;
      }, 20000);
      assert.equal(v.rejected, 5);
      assert.equal(v.rejectedByKind.bad_json, 1);
      assert.equal(v.rejectedByKind.not_object, 1);
      assert.equal(v.rejectedByKind.bad_type, 1);
      assert.equal(v.rejectedByKind.binary, 1);
      assert.equal(v.rejectedByKind.bad_field, 1);
      assert.equal(v.legacy, 1);
      assert.equal(v.values.mem, 17);
    });
  } finally {
    await p.context.close();
    wss.close();
  }
});
