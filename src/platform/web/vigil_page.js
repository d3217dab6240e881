// The page's JavaScript glue: the one --js-library of Vigil. Only src/platform/web calls these.
// Why it exists: things emscripten/*.h does not offer (online/offline, pagehide/pageshow, URL
// checks, the window.vigil getter, the watchdog heartbeat) are a few lines of JS each.
mergeInto(LibraryManager.library, {
  // Validates a WebSocket URL before emscripten_websocket_new: `new WebSocket(bad)` throws a
  // SyntaxError that would unwind through the wasm. Returns 0 when fine, else writes a reason.
  vigil_js_check_ws_url: function(urlPtr, errPtr, errLen) {
    var url = UTF8ToString(urlPtr);
    var why = '';
    try {
      var u = new URL(url);
      if (u.protocol !== 'ws:' && u.protocol !== 'wss:') why = 'not a ws:// or wss:// URL: ' + url;
    } catch (e) {
      why = 'malformed URL: ' + url;
    }
    if (!why) return 0;
    stringToUTF8(why, errPtr, errLen);
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
  vigil_js_install_page_api: function() {
    Object.defineProperty(window, 'vigil', {
      configurable: true,
      enumerable: true,
      get: function() {
        try { return JSON.parse(UTF8ToString(Module['_vigil_page_state']())); }
        catch (e) { return { state: 'ABORTED', error: String(e) }; }
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

  // The page's own origin as a WebSocket URL prefix (ws://host:port), for the default hub URL.
  vigil_js_default_ws_base: function(outPtr, len) {
    var l = window.location;
    var proto = l.protocol === 'https:' ? 'wss://' : 'ws://';
    stringToUTF8(proto + (l.host || '127.0.0.1:8080'), outPtr, len);
  },

  // Tells the page's watchdog (web/index.html) that the wasm loop is alive.
  vigil_js_alive: function() {
    if (window.vigilPage && window.vigilPage.alive) window.vigilPage.alive();
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
  vigil_js_heap_bytes: function() { return HEAPU8.length; }
});
