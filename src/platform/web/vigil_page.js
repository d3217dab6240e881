// The page's JavaScript glue: the one --js-library of Vigil. Only src/platform/web calls these.
// Why it exists: things emscripten/*.h does not offer (online/offline, pagehide/pageshow, a
// WebSocket table that survives constructor errors and frees what it deletes, the window.vigil
// getter, the watchdog heartbeat) are a few lines of JS each.
mergeInto(LibraryManager.library, {
  // The page's WebSocket table (instead of Emscripten's -lwebsocket.js, whose 3.1.6 release calls
  // `new WebSocket` without try/catch, so a constructor error unwinds through the wasm and leaves
  // the link with no socket and no timer, and whose delete keys the table by the socket object,
  // so every socket ever made stays reachable). Ids are small integers; a released id is gone
  // from the Map and its handlers detached, so nothing keeps the socket alive but the browser's
  // own closing handshake. Its size, peak and counts are shown in window.vigil.
  $VIGIL_WS: { table: null, next: 0, created: 0, deleted: 0, peak: 0 },
  // (Emscripten writes a library object out as a literal: a Map must be made when the code runs.)
  $VIGIL_WS__postset: 'VIGIL_WS.table = new Map();',

  // Why a URL cannot be opened, and what to change, or '' when it looks openable (the core adds the URL).
  $vigil_ws_hint: function(url, e) {
    var u = null;
    try { u = new URL(url); } catch (x) { return 'malformed URL'; }
    if (u.protocol !== 'ws:' && u.protocol !== 'wss:') return 'not a ws:// or wss:// URL';
    if (!e) return '';
    // What to change comes first: the banner cuts a long reason at its end.
    var said = (e.name ? e.name + ': ' : '') + (e.message || String(e)), fix = '';
    if (u.hash) fix = 'remove "' + u.hash + '" from the hub URL (a "#" inside a value is written %23)';
    else if (e.name === 'SecurityError' && location.protocol === 'https:' && u.protocol === 'ws:')
      fix = 'use wss:// (this page is https: a ws:// hub is blocked; or serve the page over http)';
    return fix ? fix + ' -- ' + said : said;
  },

  // Opens a socket; returns its id (> 0), or 0 and writes why (the browser's own message) to err.
  // `owner` comes back with every event: the C++ transport the socket belongs to.
  vigil_js_ws_open__deps: ['$VIGIL_WS', '$vigil_ws_hint'],
  vigil_js_ws_open: function(owner, urlPtr, protocolsPtr, errPtr, errLen) {
    var url = UTF8ToString(urlPtr);
    var protocols = protocolsPtr ? UTF8ToString(protocolsPtr) : '';
    var why = vigil_ws_hint(url, null), ws = null;
    if (!why) {
      try {
        ws = protocols ? new WebSocket(url, protocols.split(',')) : new WebSocket(url);
      } catch (e) {
        why = vigil_ws_hint(url, e);
      }
    }
    if (!ws) {
      stringToUTF8(why || 'the browser refused to create a WebSocket', errPtr, errLen);
      return 0;
    }
    var T = VIGIL_WS;
    var id = T.next;
    do { id = id >= 0x7fffffff ? 1 : id + 1; } while (T.table.has(id));
    T.next = id;
    ws.binaryType = 'arraybuffer';
    T.table.set(id, ws);
    ++T.created;
    if (T.table.size > T.peak) T.peak = T.table.size;
    var call = function(name) { return Module['_' + name]; };
    ws.onopen = function() { call('vigil_ws_on_open')(owner, id); };
    ws.onerror = function() { call('vigil_ws_on_error')(owner, id); };
    ws.onclose = function(e) {
      var reason = e.reason || '', n = lengthBytesUTF8(reason) + 1, p = _malloc(n);
      stringToUTF8(reason, p, n);
      try { call('vigil_ws_on_close')(owner, id, e.code, p, e.wasClean ? 1 : 0); } finally { _free(p); }
    };
    ws.onmessage = function(e) {
      var text = typeof e.data === 'string', bytes = text ? null : new Uint8Array(e.data);
      var n = text ? lengthBytesUTF8(e.data) : bytes.length, p = _malloc(n + 1);
      if (!p) {  // larger than the wasm heap can ever take: drop the connection, say why
        ws.close(4009, 'message too big for the page');
        return;
      }
      if (text) stringToUTF8(e.data, p, n + 1); else HEAPU8.set(bytes, p);
      try { call('vigil_ws_on_message')(owner, id, p, n, text ? 0 : 1); } finally { _free(p); }
    };
    return id;
  },

  // Queues text on an open socket; 0 when the socket is unknown, not open or refuses it.
  vigil_js_ws_send__deps: ['$VIGIL_WS'],
  vigil_js_ws_send: function(id, textPtr, len) {
    var ws = VIGIL_WS.table.get(id);
    if (!ws || ws.readyState !== 1) return 0;
    try { ws.send(UTF8ToString(textPtr, len)); return 1; } catch (e) { return 0; }
  },

  vigil_js_ws_buffered__deps: ['$VIGIL_WS'],
  vigil_js_ws_buffered: function(id) {
    var ws = VIGIL_WS.table.get(id);
    return ws ? ws.bufferedAmount : 0;
  },

  // Closes the socket if it is still connecting or open, detaches its handlers (no late event
  // reaches the wasm) and drops it from the table. Returns 1 if the id was in the table.
  vigil_js_ws_release__deps: ['$VIGIL_WS'],
  vigil_js_ws_release: function(id, code, reasonPtr) {
    var T = VIGIL_WS, ws = T.table.get(id);
    if (!ws) return 0;
    ws.onopen = ws.onerror = ws.onclose = ws.onmessage = null;
    if (ws.readyState === 0 || ws.readyState === 1) {
      try { ws.close(code, UTF8ToString(reasonPtr)); } catch (e) { try { ws.close(); } catch (x) {} }
    }
    T.table.delete(id);
    ++T.deleted;
    return 1;
  },

  // Browser signals -> exported C entry points (see browser_page.cpp).
  vigil_js_install_signals: function() {
    var call = function(name) { return function() { if (Module['_' + name]) Module['_' + name](); }; };
    window.addEventListener('online', call('vigil_on_online'));
    window.addEventListener('offline', call('vigil_on_offline'));
    window.addEventListener('pagehide', call('vigil_on_pagehide'));
    window.addEventListener('pageshow', function(e) { if (e.persisted) call('vigil_on_pageshow')(); });
    document.addEventListener('visibilitychange', function() {
      call(document.visibilityState === 'visible' ? 'vigil_on_visible' : 'vigil_on_hidden')();
    });
    return navigator.onLine ? 1 : 0;
  },

  // window.vigil: the page's public test/monitoring API. A getter, so every read is current
  // and costs nothing when nobody reads.
  // socketTable, socketTablePeak, socketsCreated and socketsDeleted come from the JS socket table itself.
  vigil_js_install_page_api__deps: ['$VIGIL_WS'],
  vigil_js_install_page_api: function() {
    Object.defineProperty(window, 'vigil', {
      configurable: true,
      enumerable: true,
      get: function() {
        var s;
        try { s = JSON.parse(UTF8ToString(Module['_vigil_page_state']())); }
        catch (e) { s = { state: 'ABORTED', error: String(e) }; }
        s.socketTable = VIGIL_WS.table.size;
        s.socketTablePeak = VIGIL_WS.peak;
        s.socketsCreated = VIGIL_WS.created;
        s.socketsDeleted = VIGIL_WS.deleted;
        // A new build: noticed, fetched, checked, reloaded into (web/vigil_loader.js).
        var u = window.vigilPage && window.vigilPage.update;
        s.update = u ? JSON.parse(JSON.stringify(u)) : null;
        return s;
      }
    });
    if (window.vigilPage && window.vigilPage.started) window.vigilPage.started();
  },

  // The value of ?name= in the page's URL, or empty. Writes at most len bytes.
  vigil_js_query_param: function(namePtr, outPtr, len) {
    var v = new URLSearchParams(window.location.search).get(UTF8ToString(namePtr));
    if (v === null) return 0;
    stringToUTF8(v, outPtr, len);
    return 1;
  },

  // encodeURIComponent(text) into out (at most len bytes); returns the bytes needed with the NUL.
  vigil_js_uri_component: function(textPtr, outPtr, len) {
    var v = encodeURIComponent(UTF8ToString(textPtr));
    var need = lengthBytesUTF8(v) + 1;
    if (need <= len) stringToUTF8(v, outPtr, len);
    return need;
  },

  // The page's own origin as a WebSocket URL prefix (ws://host:port), for the default hub URL.
  vigil_js_default_ws_base: function(outPtr, len) {
    var l = window.location;
    var proto = l.protocol === 'https:' ? 'wss://' : 'ws://';
    stringToUTF8(proto + (l.host || '127.0.0.1:8080'), outPtr, len);
  },

  // Tells the page's watchdog (web/index.html) that the wasm loop is alive.
  vigil_js_alive: function() {
    if (window.vigilPage && window.vigilPage.alive) window.vigilPage.alive();
  },

  // The link opened: the loader looks for a new build then (a hub upgrade means a reconnect).
  vigil_js_connected: function() {
    if (window.vigilPage && window.vigilPage.connected) window.vigilPage.connected();
  },

  // The site's build id as the loader read it from build.json at boot ('' without one).
  vigil_js_site_build: function(outPtr, len) {
    stringToUTF8((window.vigilPage && window.vigilPage.build) || '', outPtr, len);
  }
});

mergeInto(LibraryManager.library, {
  // The text of config.json as fetched by index.html (empty when absent). Returns the bytes
  // needed including the terminator; writes when len suffices.
  vigil_js_config_text: function(outPtr, len) {
    var t = (window.vigilPage && window.vigilPage.configText) || '';
    var need = lengthBytesUTF8(t) + 1;
    if (need <= len) stringToUTF8(t, outPtr, len);
    return need;
  }
});

mergeInto(LibraryManager.library, {
  // The CJK font's bytes as index.html fetched them. Returns the size; copies when len suffices.
  vigil_js_font_bytes: function(outPtr, len) {
    var b = window.vigilPage && window.vigilPage.fontBytes;
    if (!b) return 0;
    if (b.length <= len) HEAPU8.set(b, outPtr);
    return b.length;
  },

  // Input wakes the idle screen (it draws only when something changed). Releases too: ImGui
  // must see a button up between two clicks, or the second looks like the first one held.
  vigil_js_install_input_wakeup: function() {
    var wake = function() { if (Module['_vigil_on_input']) Module['_vigil_on_input'](); };
    ['keydown', 'mousedown', 'mouseup', 'mousemove', 'wheel', 'touchstart', 'touchend', 'resize'].forEach(function(t) {
      window.addEventListener(t, wake, { passive: true });
    });
  },

  // Emscripten's GLFW turns a touch into a button press without a position (the pointer stays
  // where the last one was); the compatibility mouse events the browser sends after a tap carry
  // it. Without GLFW's touch listeners a tap is one press at the right place, like a click.
  vigil_js_drop_glfw_touch__deps: ['$GLFW'],
  vigil_js_drop_glfw_touch: function() {
    var c = Module['canvas'];
    if (!c) return;
    c.removeEventListener('touchstart', GLFW.onMouseButtonDown, true);
    c.removeEventListener('touchend', GLFW.onMouseButtonUp, true);
    c.removeEventListener('touchcancel', GLFW.onMouseButtonUp, true);
    c.removeEventListener('touchmove', GLFW.onMousemove, true);
  },

  // Test-only hooks behind ?debug=1 (see browser_page.cpp): make the wasm abort.
  vigil_js_install_debug_hooks: function() {
    window.vigilDebug = {
      abort: function() { setTimeout(function() { Module['_vigil_debug_abort'](); }, 0); },
      // frameMsP50/P99 start over, so a benchmark measures exactly its own window.
      resetFrameStats: function() { Module['_vigil_debug_reset_frame_stats'](); },
      // Decodes and applies `text` (a samples frame) `count` times into a scratch model, as the
      // page does with live data but without drawing; returns frames applied (for benchmarks).
      ingest: function(text, count) {
        var len = lengthBytesUTF8(text) + 1, ptr = _malloc(len);
        stringToUTF8(text, ptr, len);
        try { return Module['_vigil_debug_ingest'](ptr, count); } finally { _free(ptr); }
      }
    };
  },

  // Bytes the wasm heap holds now (it may grow up to its ceiling).
  vigil_js_heap_bytes: function() { return HEAPU8.length; },

  // The canvas's CSS size as getBoundingClientRect() gives it, read again only after a
  // ResizeObserver (or a window resize) said it changed. The frame loop asks on every animation
  // frame, and the selector lookup and layout query were about a tenth of a 1,000-host drawn
  // frame's CPU (scale bench profile, issue 13). Without ResizeObserver: read every time.
  $VIGIL_CANVAS: { el: null, w: 0, h: 0, fresh: false, observed: false },
  vigil_js_canvas_css_size__deps: ['$VIGIL_CANVAS'],
  vigil_js_canvas_css_size: function(selectorPtr, wPtr, hPtr) {
    var C = VIGIL_CANVAS;
    if (!C.el) C.el = document.querySelector(UTF8ToString(selectorPtr));
    if (C.el && !C.observed) {
      C.observed = true;
      var stale = function() { C.fresh = false; };
      if (typeof ResizeObserver === 'function') new ResizeObserver(stale).observe(C.el);
      window.addEventListener('resize', stale);
    }
    if (C.el && !C.fresh) {
      var r = C.el.getBoundingClientRect();
      C.w = r.width;
      C.h = r.height;
      C.fresh = typeof ResizeObserver === 'function';
    }
    HEAPF64[wPtr >> 3] = C.el ? C.w : 0;
    HEAPF64[hPtr >> 3] = C.el ? C.h : 0;
  }
});

mergeInto(LibraryManager.library, {
  // The wall's time zone (time_zone.cpp): Intl knows the IANA zones, Emscripten's libc does not.
  // fmt is null for the browser's own zone.
  $VIGIL_TZ: { fmt: null },
  vigil_js_tz_set__deps: ['$VIGIL_TZ'],
  vigil_js_tz_set: function(namePtr) {
    var name = UTF8ToString(namePtr);
    if (!name) { VIGIL_TZ.fmt = null; return 1; }
    try {
      VIGIL_TZ.fmt = new Intl.DateTimeFormat('en-US', { timeZone: name, hourCycle: 'h23', year: 'numeric',
        month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
      return 1;
    } catch (e) { return 0; }  // RangeError: a zone the browser does not know
  },
  // Offset in minutes at that instant: the zone's wall time read back as if it were UTC, minus the instant.
  vigil_js_tz_offset_min__deps: ['$VIGIL_TZ'],
  vigil_js_tz_offset_min: function(ms) {
    var f = VIGIL_TZ.fmt;
    if (!f) return -new Date(ms).getTimezoneOffset();
    var p = {};
    f.formatToParts(new Date(ms)).forEach(function(x) { p[x.type] = x.value; });
    var wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second);
    return Math.round((wall - (ms - (((ms % 1000) + 1000) % 1000))) / 60000);
  },
  vigil_js_tz_name__deps: ['$VIGIL_TZ'],
  vigil_js_tz_name: function(outPtr, len) {
    var f = VIGIL_TZ.fmt || new Intl.DateTimeFormat();
    stringToUTF8(f.resolvedOptions().timeZone || '', outPtr, len);
  }
});
