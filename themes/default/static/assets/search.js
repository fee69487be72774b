/* gongkai search: the browser side of src/search.rs. Both must agree on
   folding, terms, file names and ranking; a test runs this file in
   Chromium and compares its answers with the Rust side.
   Index files are scripts that call gongkaiSearch.load(name, data), so
   that search works from file:// where fetch() does not. */
(function () {
  "use strict";

  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-";
  var PAGE = 10;
  var PREFETCH = 10;
  var script = document.currentScript;
  var base = script.getAttribute("data-index");
  var root = script.getAttribute("data-root");
  var loaded = {};
  var waiting = {};
  var requested = [];

  window.gongkaiSearch = {
    load: function (name, data) {
      loaded[name] = data;
      (waiting[name] || []).forEach(function (w) { w.resolve(data); });
      delete waiting[name];
    },
    /* For other pages and for measuring: a search whose next(count)
       resolves to more results. filter: {category: index or null,
       year: number or null}. */
    search: function (query, filter) {
      return need("meta").then(function (meta) { return new Search(meta, queryParts(query), filter); });
    },
    /* The index files loaded so far. */
    requested: requested
  };

  /* Loads index file `name` once. */
  function need(name) {
    if (Object.prototype.hasOwnProperty.call(loaded, name)) {
      return Promise.resolve(loaded[name]);
    }
    return new Promise(function (resolve, reject) {
      if (!waiting[name]) {
        waiting[name] = [];
        var s = document.createElement("script");
        s.src = base + name + ".js";
        requested.push(name);
        s.onerror = function () {
          (waiting[name] || []).forEach(function (w) { w.reject(new Error(name)); });
          delete waiting[name];
        };
        document.head.appendChild(s);
      }
      waiting[name].push({ resolve: resolve, reject: reject });
    });
  }

  /* Folding: full-width ASCII and the ideographic space to half-width,
     A-Z to lowercase. One code point in, one out. */
  function foldPoint(cp) {
    if (cp === 0x3000) { cp = 0x20; }
    else if (cp >= 0xFF01 && cp <= 0xFF5E) { cp -= 0xFEE0; }
    if (cp >= 0x41 && cp <= 0x5A) { cp += 0x20; }
    return cp;
  }
  function fold(text) {
    var out = "";
    for (var ch of text) { out += String.fromCodePoint(foldPoint(ch.codePointAt(0))); }
    return out;
  }
  function isSpace(cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp === 0x20 || cp === 0x85 || cp === 0xA0 ||
      cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp === 0x2028 || cp === 0x2029 ||
      cp === 0x202F || cp === 0x205F || cp === 0x3000;
  }
  function isTermPoint(cp) {
    if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x61 && cp <= 0x7A)) { return true; }
    if (cp <= 0x7F) { return false; }
    if ((cp >= 0x80 && cp <= 0xBF) || cp === 0xD7 || cp === 0xF7) { return false; }
    if (cp >= 0x2000 && cp <= 0x2BFF) { return false; }
    if (cp === 0x3005 || cp === 0x3007) { return true; }
    if (cp >= 0x3000 && cp <= 0x303F) { return false; }
    if (cp >= 0xFE30 && cp <= 0xFE6F) { return false; }
    if (cp >= 0xFF00 && cp <= 0xFFEF) { return false; }
    return !isSpace(cp);
  }
  function queryParts(query) {
    var parts = [], current = "";
    for (var ch of fold(query)) {
      if (isSpace(ch.codePointAt(0))) {
        if (current) { parts.push(current); current = ""; }
      } else {
        current += ch;
      }
    }
    if (current) { parts.push(current); }
    return parts;
  }
  /* Pairs of each run of term characters, or its one character. */
  function queryTerms(part) {
    var terms = [], run = [];
    function flush() {
      if (run.length === 1) { terms.push(run[0]); }
      for (var i = 0; i + 1 < run.length; i++) { terms.push(run[i] + run[i + 1]); }
      run = [];
    }
    for (var ch of part) {
      if (isTermPoint(ch.codePointAt(0))) { run.push(ch); } else { flush(); }
    }
    flush();
    return terms;
  }
  function shardOf(term, shards) {
    var h = 0x811C9DC5;
    for (var ch of term) { h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0; }
    return h % Math.max(shards, 1);
  }
  function decodeIds(s) {
    var ids = [], i, v;
    if (s.charAt(0) === "b") {
      for (i = 1; i < s.length; i++) {
        v = DIGITS.indexOf(s.charAt(i));
        for (var bit = 0; bit < 6; bit++) {
          if (v & (1 << bit)) { ids.push((i - 1) * 6 + bit); }
        }
      }
    } else if (s.charAt(0) === "d") {
      var n = 0, shift = 0, last = 0;
      for (i = 1; i < s.length; i++) {
        v = DIGITS.indexOf(s.charAt(i));
        n += (v & 31) * Math.pow(2, shift);
        shift += 5;
        if (v < 32) {
          last = ids.length ? last + n : n;
          ids.push(last);
          n = 0;
          shift = 0;
        }
      }
    }
    return ids;
  }
  function intersect(lists) {
    lists = lists.slice().sort(function (a, b) { return a.length - b.length; });
    if (!lists.length) { return []; }
    var sets = lists.slice(1).map(function (l) { return new Set(l); });
    return lists[0].filter(function (id) { return sets.every(function (s) { return s.has(id); }); });
  }
  function hasBit(mask, bit) { return Math.floor(mask / Math.pow(2, bit)) % 2 === 1; }

  var unpacked = {};
  /* A shard of the postings. */
  function shard(meta, index) { return meta.bundle ? Promise.resolve(meta.bundle.terms[index]) : need("t/" + index); }

  /* The record of notice `id`: [title, path, date, date_zh, organization,
     [[number, category, title, status]...], text, [problem text...]]. A
     large site has one file per notice, deflated against the dictionary. */
  function recordOf(meta, id) {
    if (meta.bundle) { return Promise.resolve(meta.bundle.texts[id]); }
    var name = "x/" + id;
    if (!unpacked[name]) {
      unpacked[name] = Promise.all([need(name), dictionary()]).then(function (got) {
        return inflateRaw(got[0], got[1]);
      }).then(function (b) { return JSON.parse(new TextDecoder().decode(b)); });
    }
    return unpacked[name];
  }

  var dict = null;
  function dictionary() {
    return dict || (dict = need("dict").then(function (b64) { return inflateRaw(b64, new Uint8Array(0)); }));
  }

  /* Raw deflate data in base64, made with `preset` as its dictionary:
     the preset goes in front as a stored block (which any inflater reads
     as text it has already seen), and its bytes come off the front of
     what comes out. */
  function inflateRaw(b64, preset) {
    var bin = atob(b64), n = preset.length, bytes = new Uint8Array(5 + n + bin.length);
    bytes[1] = n & 255; bytes[2] = n >> 8; bytes[3] = ~n & 255; bytes[4] = (~n >> 8) & 255;
    bytes.set(preset, 5);
    for (var i = 0; i < bin.length; i++) { bytes[5 + n + i] = bin.charCodeAt(i); }
    try {
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
      return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b, n); });
    } catch (e) {
      /* No DecompressionStream (older browsers): inflate here. */
      return Promise.resolve(inflate(bytes).subarray(n));
    }
  }

  /* Inflate (RFC 1951) of raw deflate data, after tinf by Joergen Ibsen:
     small rather than fast, for the browsers without DecompressionStream. */
  function inflate(src) {
    var LBITS = new Uint8Array(30), LBASE = new Uint16Array(30);
    var DBITS = new Uint8Array(30), DBASE = new Uint16Array(30);
    function bitsBase(bits, base, delta, first) {
      var i, sum;
      for (i = 0; i < delta; i++) { bits[i] = 0; }
      for (i = 0; i < 30 - delta; i++) { bits[i + delta] = (i / delta) | 0; }
      for (sum = first, i = 0; i < 30; i++) { base[i] = sum; sum += 1 << bits[i]; }
    }
    bitsBase(LBITS, LBASE, 4, 3);
    bitsBase(DBITS, DBASE, 2, 1);
    LBITS[28] = 0; LBASE[28] = 258;
    function Tree() { this.table = new Uint16Array(16); this.trans = new Uint16Array(288); }
    function build(t, lengths, off, num) {
      var i, sum, offs = new Uint16Array(16);
      for (i = 0; i < 16; i++) { t.table[i] = 0; }
      for (i = 0; i < num; i++) { t.table[lengths[off + i]]++; }
      t.table[0] = 0;
      for (sum = 0, i = 0; i < 16; i++) { offs[i] = sum; sum += t.table[i]; }
      for (i = 0; i < num; i++) { if (lengths[off + i]) { t.trans[offs[lengths[off + i]]++] = i; } }
    }
    var pos = 0, tag = 0, left = 0, out = new Uint8Array(src.length * 4), n = 0;
    function bit() {
      if (!left) { tag = src[pos++]; left = 8; }
      left--;
      var b = tag & 1; tag >>>= 1; return b;
    }
    function bits(num, base) {
      var v = 0;
      for (var i = 0; i < num; i++) { v |= bit() << i; }
      return v + base;
    }
    function symbol(t) {
      var sum = 0, cur = 0, len = 0;
      do { cur = 2 * cur + bit(); len++; sum += t.table[len]; cur -= t.table[len]; } while (cur >= 0);
      return t.trans[sum + cur];
    }
    function put(b) {
      if (n === out.length) { var grown = new Uint8Array(out.length * 2); grown.set(out); out = grown; }
      out[n++] = b;
    }
    function block(lt, dt) {
      for (;;) {
        var sym = symbol(lt);
        if (sym === 256) { return; }
        if (sym < 256) { put(sym); continue; }
        sym -= 257;
        var len = bits(LBITS[sym], LBASE[sym]), d = symbol(dt);
        var from = n - bits(DBITS[d], DBASE[d]);
        for (var i = 0; i < len; i++) { put(out[from + i]); }
      }
    }
    var fixedL = new Tree(), fixedD = new Tree(), i;
    var lengths = new Uint8Array(320);
    for (i = 0; i < 144; i++) { lengths[i] = 8; }
    for (; i < 256; i++) { lengths[i] = 9; }
    for (; i < 280; i++) { lengths[i] = 7; }
    for (; i < 288; i++) { lengths[i] = 8; }
    build(fixedL, lengths, 0, 288);
    for (i = 0; i < 30; i++) { lengths[i] = 5; }
    build(fixedD, lengths, 0, 30);
    var ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
    var last;
    do {
      last = bit();
      var type = bits(2, 0);
      if (type === 0) {
        left = 0;
        var size = src[pos] | (src[pos + 1] << 8);
        pos += 4;
        for (i = 0; i < size; i++) { put(src[pos++]); }
      } else if (type === 1) {
        block(fixedL, fixedD);
      } else if (type === 2) {
        var hlit = bits(5, 257), hdist = bits(5, 1), hclen = bits(4, 4);
        lengths = new Uint8Array(320);
        for (i = 0; i < hclen; i++) { lengths[ORDER[i]] = bits(3, 0); }
        var code = new Tree();
        build(code, lengths, 0, 19);
        lengths = new Uint8Array(320);
        for (var num = 0; num < hlit + hdist;) {
          var sym = symbol(code), rep;
          if (sym === 16) { var prev = lengths[num - 1]; for (rep = bits(2, 3); rep; rep--) { lengths[num++] = prev; } }
          else if (sym === 17) { for (rep = bits(3, 3); rep; rep--) { lengths[num++] = 0; } }
          else if (sym === 18) { for (rep = bits(7, 11); rep; rep--) { lengths[num++] = 0; } }
          else { lengths[num++] = sym; }
        }
        var lt = new Tree(), dt = new Tree();
        build(lt, lengths, 0, hlit);
        build(dt, lengths, hlit, hdist);
        block(lt, dt);
      } else {
        throw new Error("bad deflate data");
      }
    } while (!last);
    return out.subarray(0, n);
  }

  /* A query over the index: results come in rank order through next(). */
  function Search(meta, parts, filter) {
    this.meta = meta;
    this.parts = parts;
    this.filter = filter;
    this.phase = 0;
    this.position = 0;
    this.fetched = 0;
    this.seen = new Set();
    this.found = new Set();
    this.done = false;
  }

  Search.prototype.candidates = function () {
    var self = this, meta = this.meta;
    var terms = [];
    this.parts.forEach(function (p) { terms = terms.concat(queryTerms(p)); });
    if (!terms.length) { return Promise.resolve(null); }
    return Promise.all(terms.map(function (t) {
      return shard(meta, shardOf(t, meta.shards)).then(function (shard) { return shard[t]; });
    })).then(function (lists) {
      if (lists.some(function (l) { return !l; })) { return { all: [], titles: [], exact: true }; }
      var all = intersect(lists.map(function (l) { return decodeIds(l[0]); }));
      var titles = intersect(lists.map(function (l) { return l[1] ? decodeIds(l[1]) : []; }));
      return {
        all: all.filter(function (id) { return self.admits(id); }),
        titles: titles.filter(function (id) { return self.admits(titleSlot(meta, id)[0]); }),
        exact: self.parts.length === 1 && self.filter.category === null &&
          Array.from(self.parts[0]).length <= 2 &&
          Array.from(self.parts[0]).every(function (ch) { return isTermPoint(ch.codePointAt(0)); })
      };
    });
  };

  /* Whether notice `id` is of the year and the unit asked for. */
  Search.prototype.admits = function (id) {
    var f = this.filter;
    if (f.unit !== null && (this.meta.unit_of || [])[id] !== f.unit) { return false; }
    if (f.year === null) { return true; }
    var range = this.meta.years.filter(function (y) { return y[0] === f.year; })[0];
    return !!range && id >= range[1] && id < range[2];
  };

  Search.prototype.contains = function (text) {
    var folded = fold(text);
    return this.parts.every(function (p) { return folded.indexOf(p) >= 0; });
  };

  /* The notice of title `id` and its slot: 0 for the notice's own title,
     k for its k-th problem's. Titles are numbered notice after notice. */
  function titleSlot(meta, id) {
    if (!meta.starts) { meta.starts = decodeIds(meta.title_starts); }
    var lo = 0, hi = meta.starts.length - 1;
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (meta.starts[mid] <= id) { lo = mid; } else { hi = mid; }
    }
    return [lo, id - meta.starts[lo]];
  }

  /* The results behind candidate `id`: a title (phase 0) or a notice
     (phase 1). */
  Search.prototype.matches = function (id) {
    var self = this, meta = this.meta, f = this.filter, phase = this.phase;
    var title = phase === 0 ? titleSlot(meta, id) : [id, -1];
    var notice = title[0], slot = title[1];
    var noticeIn = f.category === null || hasBit(meta.masks[notice], f.category);
    return recordOf(meta, notice).then(function (r) {
      var found = [];
      var problemIn = function (i) { return f.category === null || r[5][i][1] === f.category; };
      if (phase === 0) {
        if (slot === 0) {
          if (noticeIn && self.contains(r[0])) { found.push(null); }
        } else if (slot <= r[5].length && problemIn(slot - 1) && self.contains(r[5][slot - 1][2])) {
          found.push(slot - 1);
        }
      } else {
        if (noticeIn && self.contains(r[6])) { found.push(null); }
        r[5].forEach(function (p, i) {
          if (problemIn(i) && self.contains(r[7][i])) { found.push(i); }
        });
      }
      var info = { id: notice, title: r[0], path: r[1], date: r[2], date_zh: r[3], org: r[4] };
      if (found.length) { self.found.add(notice); }
      return found.filter(function (i) {
        var key = notice + ":" + (i === null ? "" : i);
        if (self.seen.has(key)) { return false; }
        self.seen.add(key);
        return true;
      }).map(function (i) {
        var p = i === null ? null : r[5][i];
        return {
          notice: info,
          problem: p && { index: i, number: p[0], category: p[1], title: p[2], status: p[3] },
          titleMatch: phase === 0,
          text: i === null ? r[6] : r[7][i]
        };
      });
    });
  };

  /* Starts loading the files of the next candidates, so that they arrive
     together rather than one after another. */
  Search.prototype.prefetch = function (list, count) {
    var meta = this.meta, phase = this.phase;
    list.slice(this.position, this.position + count).forEach(function (id) {
      recordOf(meta, phase === 0 ? titleSlot(meta, id)[0] : id).catch(function () { /* reported when needed */ });
    });
  };

  /* How many notices match: {notices, exact}. Exact once every candidate
     is checked, or when the postings alone decide it (one part of one or
     two indexed characters, no category); otherwise the candidates, an
     upper bound. null before the first results. */
  Search.prototype.matching = function () {
    if (!this.lists) { return null; }
    if (this.done) { return { notices: this.found.size, exact: true }; }
    return { notices: this.lists.all.length, exact: this.lists.exact };
  };

  /* Resolves to at least `count` more results, or fewer when there are no more. */
  Search.prototype.next = function (count) {
    var self = this, found = [];
    function step() {
      if (found.length >= count || self.done) { return Promise.resolve(found); }
      var list = self.phase === 0 ? self.lists.titles : self.lists.all;
      if (self.position >= list.length) {
        if (self.phase === 0) { self.phase = 1; self.position = 0; self.fetched = 0; } else { self.done = true; }
        return step();
      }
      /* Files for as many candidates as results are still wanted (each
         gives at least one, mostly), loaded together. */
      if (self.position >= self.fetched) {
        var ahead = Math.min(PREFETCH, Math.max(count - found.length, 1));
        self.prefetch(list, ahead);
        self.fetched = self.position + ahead;
      }
      var id = list[self.position++];
      return self.matches(id).then(function (hits) { found = found.concat(hits); return step(); });
    }
    if (this.lists) { return step(); }
    return this.candidates().then(function (lists) {
      self.candidatesAt = performance.now();
      self.lists = lists || { all: [], titles: [] };
      self.noTerms = !lists;
      return step();
    });
  };

  /* Display. */
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  /* Appends `text` to `node`, marking the query parts. */
  function marked(node, text, parts) {
    var folded = fold(text), i = 0;
    while (i < text.length) {
      var best = -1, len = 0;
      parts.forEach(function (p) {
        var at = folded.indexOf(p, i);
        if (at >= 0 && (best < 0 || at < best)) { best = at; len = p.length; }
      });
      if (best < 0) { node.appendChild(document.createTextNode(text.slice(i))); break; }
      if (best > i) { node.appendChild(document.createTextNode(text.slice(i, best))); }
      node.appendChild(el("mark", null, text.slice(best, best + len)));
      i = best + len;
    }
    return node;
  }
  /* Line breaks and runs of spaces as one space: a Chinese one next to
     Chinese text, where an ASCII space would look like a gap. */
  function flatten(text) {
    return text.replace(/\s+/g, function (run, at, all) {
      var before = all.charAt(at - 1), after = all.charAt(at + run.length);
      return /[\u3000-\u9fff\uff00-\uffef]/.test(before + after) ? "　" : " ";
    });
  }
  /* Text around the first match, leaving out the title lines a
     document's text starts with. */
  function snippet(text, parts, header) {
    for (var i = 0; i < header; i++) {
      var nl = text.indexOf("\n");
      if (nl >= 0) { text = text.slice(nl + 1); }
    }
    text = flatten(text.trim());
    var folded = fold(text), at = folded.indexOf(parts[0]);
    if (at < 0) { return text.slice(0, 90) + (text.length > 90 ? "……" : ""); }
    var chars = Array.from(text.slice(0, at)).length;
    var all = Array.from(text);
    var start = Math.max(0, chars - 30), end = Math.min(all.length, chars + 60);
    return (start > 0 ? "……" : "") + all.slice(start, end).join("") + (end < all.length ? "……" : "");
  }
  function show(list, hits, parts, meta) {
    hits.forEach(function (h) {
      var li = el("li", "search-result");
      li.setAttribute("data-notice", h.notice.id);
      li.setAttribute("data-problem", h.problem ? h.problem.index : "");
      li.setAttribute("data-title-match", h.titleMatch ? "1" : "0");
      var a = el("a", "search-title");
      a.href = root + h.notice.path + (h.problem ? "#problem-" + h.problem.number : "");
      marked(a, h.problem ? "第" + h.problem.number + "项　" + h.problem.title : h.notice.title, parts);
      li.appendChild(el("h2", "search-heading")).appendChild(a);
      var m = el("p", "search-meta");
      m.appendChild(el("time", null, h.notice.date_zh)).setAttribute("datetime", h.notice.date);
      m.appendChild(el("span", null, h.notice.org));
      if (h.problem) {
        var cat = meta.categories[h.problem.category];
        if (cat) { m.appendChild(el("span", "badge badge-category", cat[1])); }
        (h.problem.status ? h.problem.status.split(" ") : ["未注明"]).forEach(function (label) {
          m.appendChild(el("span", "badge badge-status", label));
        });
        m.appendChild(el("span", "search-in", "出自：" + h.notice.title));
      }
      li.appendChild(m);
      var header = h.problem ? 1 : 5;
      li.appendChild(marked(el("p", "search-snippet"), snippet(h.text, parts, header), parts));
      list.appendChild(li);
    });
  }

  function start() {
    var params = new URLSearchParams(window.location.search);
    var query = params.get("q") || "";
    var form = document.querySelector("[data-search-form]");
    if (!form) { return; }
    var status = document.querySelector("[data-search-status]");
    var list = document.querySelector("[data-search-results]");
    var more = document.querySelector("[data-search-more]");
    var input = form.querySelector("input[name=q]");
    input.value = query;
    var selects = form.querySelectorAll("[data-search-filter]");
    selects.forEach(function (s) {
      s.value = params.get(s.name) || "";
      s.addEventListener("change", function () { if (input.value.trim()) { form.submit(); } });
    });
    var header = document.getElementById("header-q");
    if (header) { header.value = query; }
    if (!query.trim()) { status.textContent = "请输入要查找的文字。"; list.setAttribute("data-state", "done"); return; }
    var all = params.get("all") === "1";
    var parts = queryParts(query);
    status.textContent = "正在搜索……";
    var started = performance.now();
    need("meta").then(function (meta) {
      var cat = params.get("category"), year = params.get("year"), unit = params.get("unit");
      var catIndex = meta.categories.map(function (c) { return c[0]; }).indexOf(cat);
      var unitIndex = (meta.units || []).map(function (u) { return u[0]; }).indexOf(unit);
      var filter = {
        category: catIndex >= 0 ? catIndex : null,
        year: year ? parseInt(year, 10) : null,
        unit: unitIndex >= 0 ? unitIndex : null
      };
      var search = new Search(meta, parts, filter);
      var total = 0, ahead = [], loading = false;
      /* One result more than is shown is looked for: the button shows
         only when there is more to show. */
      function more_() {
        return search.next(all ? Infinity : PAGE + 1 - ahead.length).then(function (found) {
          var hits = ahead.concat(found);
          ahead = all ? [] : hits.splice(PAGE);
          var first = list.children.length;
          show(list, hits, parts, meta);
          total += hits.length;
          var rest = ahead.length > 0;
          more.hidden = !rest;
          if (search.noTerms) {
            status.textContent = "请输入文字或数字（标点符号不能单独搜索）。";
          } else if (total === 0) {
            status.textContent = "没有找到包含“" + query.trim() + "”的通报或问题。";
          } else {
            /* How many notices: exact when known, 约 when only an upper bound is. */
            var m = search.matching();
            var notices = "（共" + (m.exact ? "" : "约") + m.notices + "篇通报）";
            status.textContent = (rest ? "已显示" : "找到") + total + "条结果" + notices + (rest ? "，还有更多。" : "。");
          }
          list.setAttribute("data-state", rest ? "more" : "done");
          // For measuring: which index files this query loaded, and how long it took.
          list.setAttribute("data-files", requested.join(" "));
          list.setAttribute("data-ms", Math.round(performance.now() - started));
          list.setAttribute("data-candidates-ms", Math.round(search.candidatesAt - started));
          return first;
        });
      }
      more.addEventListener("click", function () {
        if (loading) { return; }
        loading = true;
        more.setAttribute("aria-busy", "true");
        more_().then(function (first) {
          loading = false;
          more.removeAttribute("aria-busy");
          /* Keyboard users go on with the first new result, not from the top. */
          var link = list.children[first] && list.children[first].querySelector("a");
          if (link) { link.focus(); }
        });
      });
      return more_();
    }).catch(function () {
      status.textContent = "搜索索引没有加载成功，请刷新页面重试。";
      list.setAttribute("data-state", "error");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
