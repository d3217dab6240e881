// A static server of the page's folder for tests that need the site served in a way the hub does
// not: over https (a self-signed certificate made with openssl at test time), half up (the first
// N requests of each file answered 503 or dropped), or with a config.json of the test's own.
//
//   const s = await new SiteServer({ root, failFirst: 2, failWith: 503 | 'drop', only: [paths], missing: [paths],
//                                    tls: {key, cert}, config }).start();
//   (failFirst applies to the paths in `only`, or all; `missing` paths answer 404; `config` is served as /config.json)
//   s.url, s.port, s.requests (path -> requests seen), s.failed (path -> requests failed), s.stop()
//   selfSignedCert(dir) -> {key, cert}   (openssl req -x509, CN and SAN 127.0.0.1)
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.otf': 'font/otf',
};

class SiteServer {
  constructor({ root, failFirst = 0, failWith = 503, only = null, missing = [], tls = null, config = null, port = 0 }) {
    Object.assign(this, { root, failFirst, failWith, only, missing, tls, config, port });
    this.requests = {};
    this.failed = {};
  }

  start() {
    const handler = (req, res) => this.onRequest(req, res);
    this.server = this.tls ? https.createServer(this.tls, handler) : http.createServer(handler);
    this.sockets = new Set();
    this.server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    return new Promise((resolve) => this.server.listen(this.port, '127.0.0.1', () => {
      this.port = this.server.address().port;
      resolve(this);
    }));
  }

  get url() { return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}/`; }

  onRequest(req, res) {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p === '/') p = '/index.html';
    const n = this.requests[p] = (this.requests[p] || 0) + 1;
    if (n <= this.failFirst && (!this.only || this.only.includes(p))) {
      this.failed[p] = (this.failed[p] || 0) + 1;
      if (this.failWith === 'drop') { req.socket.destroy(); return; }
      res.writeHead(this.failWith, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
      res.end('restarting\n');
      return;
    }
    if (p === '/config.json' && this.config) {
      res.writeHead(200, { 'Content-Type': MIME['.json'], 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(this.config));
      return;
    }
    const file = path.join(this.root, path.normalize(p));
    if (this.missing.includes(p) || !file.startsWith(this.root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    const body = fs.readFileSync(file);
    res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] || 'application/octet-stream',
      'Content-Length': body.length, 'Cache-Control': 'no-store' });
    res.end(body);
  }

  stop() {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function selfSignedCert(dir) {
  const key = path.join(dir, 'key.pem'), cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

module.exports = { SiteServer, selfSignedCert };
