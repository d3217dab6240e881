// The fan-out BASELINE: a minimal Node `ws` broadcast server, as commonly written. It connects to the
// hub as one client (hello, no backfill) and rebroadcasts every message's text to all its clients;
// it ignores what clients send (their hello). No queue bounds, no slow-client policy.
// usage: node baseline_server.js <hubWsUrl>   prints "listening 127.0.0.1:<port>" once ready.
'use strict';
const WebSocket = require('ws');

const hubUrl = process.argv[2];
const wss = new WebSocket.Server({ host: '127.0.0.1', port: Number(process.env.PORT || 0), perMessageDeflate: false, clientTracking: true });
wss.on('connection', (ws) => { ws.on('error', () => {}); });
wss.on('listening', () => {
  const up = new WebSocket(hubUrl, { perMessageDeflate: false });
  up.on('open', () => up.send(JSON.stringify({ type: 'hello', v: 1, client: 'node-broadcast', history_s: 0 })));
  up.on('message', (data) => {
    const text = data.toString();
    if (!text.startsWith('{"type":"samples"')) return;
    for (const c of wss.clients) if (c.readyState === WebSocket.OPEN) c.send(text);
  });
  up.on('close', () => process.exit(1));
  up.on('error', (e) => { console.error(`baseline: hub: ${e.message}`); process.exit(1); });
  console.log(`listening 127.0.0.1:${wss.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
