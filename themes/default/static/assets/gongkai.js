/* gongkai default theme: the reader's settings — 关怀版 (large text) and the
   accessibility toolbar (放大, 高对比, 朗读, 特大鼠标, 阅读线) — one set of
   settings, kept across pages. Loaded in <head>, so the settings apply
   before the page paints. Nothing here asks another host for anything.

   Where settings are kept: localStorage; where a browser refuses it (some
   refuse it to pages opened from disk, file://), the window's name, which
   outlives a page; and, since some browsers clear that too, the address
   of the next page (?a11y=…) when a link of the site is followed. */
(function () {
  "use strict";
  var KEY = "gongkai-a11y";
  var LEGACY = "gongkai-care";
  var NAME = "gongkai-a11y=";
  var PARAM = "a11y";
  var ZOOMS = [100, 125, 150, 175, 200];
  var CONTRASTS = ["", "bw", "yb"];
  var root = document.documentElement;
  root.classList.add("js");

  /* localStorage, if the browser lets this page use it. */
  var store = (function () {
    try {
      var s = window.localStorage, probe = "gongkai-probe";
      s.setItem(probe, probe);
      s.removeItem(probe);
      return s;
    } catch (e) {
      return null;
    }
  })();

  /* Settings as text: "care.z150.yb.cursor.guide.open" ("" for none). */
  function parse(code) {
    var s = { care: false, zoom: 100, contrast: "", cursor: false, guide: false, open: false };
    String(code || "").split(".").forEach(function (t) {
      if (t === "care" || t === "cursor" || t === "guide" || t === "open") { s[t] = true; }
      else if (/^z\d+$/.test(t) && ZOOMS.indexOf(+t.slice(1)) >= 0) { s.zoom = +t.slice(1); }
      else if (CONTRASTS.indexOf(t) > 0) { s.contrast = t; }
    });
    return s;
  }
  function serialize(s) {
    var t = [];
    if (s.care) { t.push("care"); }
    if (s.zoom !== 100) { t.push("z" + s.zoom); }
    if (s.contrast) { t.push(s.contrast); }
    if (s.cursor) { t.push("cursor"); }
    if (s.guide) { t.push("guide"); }
    if (s.open) { t.push("open"); }
    return t.join(".");
  }

  function fromAddress() {
    var m = window.location.search.match(new RegExp("[?&]" + PARAM + "=([^&#]*)"));
    return m ? decodeURIComponent(m[1]) : null;
  }
  function fromName() {
    var n = String(window.name || "");
    return n.indexOf(NAME) === 0 ? n.slice(NAME.length) : null;
  }
  function load() {
    var code = fromAddress();
    if (code === null && store) {
      code = store.getItem(KEY);
      if (code === null && store.getItem(LEGACY) === "1") { code = "care"; }
    }
    if (code === null) { code = fromName(); }
    return parse(code);
  }

  var settings = load();

  function save() {
    var code = serialize(settings);
    if (store) {
      try { store.setItem(KEY, code); } catch (e) { /* full: the name still keeps it */ }
    }
    window.name = NAME + code;
  }

  /* The page as the settings want it. */
  function apply() {
    root.classList.toggle("care", settings.care);
    if (settings.zoom !== 100) { root.setAttribute("data-zoom", String(settings.zoom)); }
    else { root.removeAttribute("data-zoom"); }
    if (settings.contrast) { root.setAttribute("data-contrast", settings.contrast); }
    else { root.removeAttribute("data-contrast"); }
    root.classList.toggle("big-cursor", settings.cursor);
    root.classList.toggle("reading-guide-on", settings.guide);
    if (document.body) { syncControls(); }
  }

  function each(selector, fn) {
    var list = document.querySelectorAll(selector);
    for (var i = 0; i < list.length; i++) { fn(list[i]); }
  }
  function pressed(el, on) { el.setAttribute("aria-pressed", on ? "true" : "false"); }

  function syncControls() {
    each("[data-care-toggle]", function (b) {
      /* The name stays 关怀版; aria-pressed says whether it is on. */
      pressed(b, settings.care);
      b.title = settings.care ? "再按一次恢复标准字号" : "放大字号、加大行距，便于阅读";
    });
    each("[data-a11y-open]", function (b) {
      b.setAttribute("aria-expanded", settings.open ? "true" : "false");
    });
    each("[data-a11y-bar]", function (bar) { bar.hidden = !settings.open; });
    each("[data-a11y-zoom]", function (o) { o.textContent = settings.zoom + "%"; });
    each("[data-a11y=zoom-in]", function (b) {
      b.setAttribute("aria-disabled", settings.zoom >= ZOOMS[ZOOMS.length - 1] ? "true" : "false");
    });
    each("[data-a11y=zoom-out]", function (b) {
      b.setAttribute("aria-disabled", settings.zoom <= ZOOMS[0] ? "true" : "false");
    });
    each("[data-a11y=contrast]", function (b) {
      pressed(b, (b.getAttribute("data-value") || "") === settings.contrast);
    });
    each("[data-a11y=cursor]", function (b) { pressed(b, settings.cursor); });
    each("[data-a11y=guide]", function (b) { pressed(b, settings.guide); });
    each("[data-a11y=speak]", function (b) { pressed(b, reading); });
  }

  function say(message) {
    each("[data-a11y-status]", function (s) { s.textContent = message; });
  }

  function change(update, message) {
    update(settings);
    save();
    apply();
    if (message) { say(message); }
  }

  /* 放大: one step up or down of ZOOMS. */
  function zoom(step) {
    var i = ZOOMS.indexOf(settings.zoom) + step;
    if (i < 0 || i >= ZOOMS.length) {
      say(step > 0 ? "已经放大到最大（200%）。" : "已经是标准大小（100%）。");
      return;
    }
    change(function (s) { s.zoom = ZOOMS[i]; }, "页面放大到 " + ZOOMS[i] + "%。");
  }

  /* 朗读: the selected text, or the article, in Chinese, by the browser's
     own speech synthesis. */
  var reading = false;
  var selected = "";
  function selection() {
    var s = window.getSelection ? String(window.getSelection()) : "";
    return s.replace(/\s+/g, " ").trim();
  }
  function articleText() {
    var main = document.querySelector("main article.notice") || document.querySelector("main");
    if (!main) { return ""; }
    var copy = main.cloneNode(true);
    var skip = copy.querySelectorAll("[aria-hidden=true], .problem-toc, .visually-hidden, script, style");
    for (var i = 0; i < skip.length; i++) { skip[i].parentNode.removeChild(skip[i]); }
    return copy.textContent.replace(/\s+/g, " ").trim();
  }
  /* Sentences, a few at a time: long utterances are cut off by some
     browsers. */
  function pieces(text) {
    var parts = text.match(/[^。！？；!?;]+[。！？；!?;]*/g) || [];
    var out = [], current = "";
    parts.forEach(function (p) {
      if (current && (current + p).length > 200) { out.push(current); current = ""; }
      current += p;
    });
    if (current) { out.push(current); }
    return out;
  }
  function chineseVoice(voices) {
    var exact = null, any = null;
    for (var i = 0; i < voices.length; i++) {
      var lang = String(voices[i].lang || "").replace("_", "-").toLowerCase();
      if (!exact && (lang === "zh-cn" || lang === "zh-hans-cn" || lang === "cmn-hans-cn")) { exact = voices[i]; }
      if (!any && (lang.indexOf("zh") === 0 || lang.indexOf("cmn") === 0)) { any = voices[i]; }
    }
    return exact || any;
  }
  /* The voices, once the browser has listed them (some list them late). */
  function withVoices(synth, then) {
    var voices = synth.getVoices() || [];
    if (voices.length) { then(voices); return; }
    var done = false;
    function go() {
      if (done) { return; }
      done = true;
      then(synth.getVoices() || []);
    }
    if (synth.addEventListener) { synth.addEventListener("voiceschanged", go); }
    window.setTimeout(go, 1000);
  }
  function stopReading(message) {
    reading = false;
    syncControls();
    if (message) { say(message); }
  }
  function speak() {
    var synth = window.speechSynthesis;
    if (!synth || typeof window.SpeechSynthesisUtterance !== "function") {
      say("这个浏览器不支持语音朗读。可以使用操作系统或读屏软件的朗读功能。");
      return;
    }
    if (reading) {
      synth.cancel();
      stopReading("已停止朗读。");
      return;
    }
    var text = selected || selection() || articleText();
    if (!text) { say("这一页没有可以朗读的文字。"); return; }
    say("正在准备朗读……");
    withVoices(synth, function (voices) {
      var voice = chineseVoice(voices);
      if (!voice) {
        say("这个浏览器没有中文语音，无法朗读。请在操作系统的语音设置中安装中文（普通话）语音后再试，或使用读屏软件。");
        return;
      }
      var list = pieces(text);
      list.forEach(function (part, i) {
        var u = new window.SpeechSynthesisUtterance(part);
        u.lang = "zh-CN";
        try { u.voice = voice; } catch (e) { /* not a voice object: the language chooses */ }
        if (i === list.length - 1) {
          u.onend = function () { stopReading("朗读完毕。"); };
        }
        u.onerror = function () { stopReading(""); };
        synth.speak(u);
      });
      reading = true;
      syncControls();
      say(selected ? "正在朗读选中的文字，再按一次“朗读”停止。" : "正在朗读本页正文，再按一次“朗读”停止。");
    });
  }

  /* 阅读线: follows the pointer, and the keyboard's focus. */
  var guide = null;
  function moveGuide(y) {
    if (!settings.guide) { return; }
    if (!guide) {
      guide = document.createElement("div");
      guide.className = "reading-guide";
      guide.setAttribute("aria-hidden", "true");
      document.body.appendChild(guide);
    }
    guide.style.top = Math.round(y - guide.offsetHeight / 2) + "px";
  }

  /* Without storage, a link of the site carries the settings along. */
  function carry(event) {
    if (store) { return; }
    var a = event.target.closest && event.target.closest("a[href]");
    var code = serialize(settings);
    if (!a || a.hasAttribute("download") || !code) { return; }
    if (a.protocol !== window.location.protocol || a.host !== window.location.host) { return; }
    try {
      var url = new URL(a.href);
      url.searchParams.set(PARAM, code);
      a.href = url.href;
    } catch (e) { /* an address the browser cannot take apart: left alone */ }
  }
  function carryInForm(event) {
    var form = event.target;
    if (store || !form || form.tagName !== "FORM") { return; }
    var field = form.querySelector("input[name=" + PARAM + "]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = PARAM;
      form.appendChild(field);
    }
    field.value = serialize(settings);
  }

  var actions = {
    "zoom-in": function () { zoom(1); },
    "zoom-out": function () { zoom(-1); },
    contrast: function (b) {
      var value = b.getAttribute("data-value") || "";
      var names = { "": "标准配色", bw: "黑白高对比", yb: "黄黑高对比" };
      change(function (s) { s.contrast = value; }, "已换成" + names[value] + "。");
    },
    cursor: function () {
      change(function (s) { s.cursor = !s.cursor; }, settings.cursor ? "已恢复普通鼠标。" : "已换成特大鼠标。");
    },
    guide: function () {
      change(function (s) { s.guide = !s.guide; }, settings.guide ? "已关闭阅读线。" : "已打开阅读线：它跟着鼠标和键盘焦点移动。");
    },
    speak: speak,
    reset: function () {
      if (reading && window.speechSynthesis) { window.speechSynthesis.cancel(); reading = false; }
      change(function (s) {
        var open = s.open, care = s.care;
        var fresh = parse("");
        for (var k in fresh) { if (Object.prototype.hasOwnProperty.call(fresh, k)) { s[k] = fresh[k]; } }
        s.open = open;
        s.care = care;
      }, "已恢复标准显示。");
    },
    close: function () {
      change(function (s) { s.open = false; });
      var toggle = document.querySelector("[data-a11y-open]");
      if (toggle) { toggle.focus(); }
    }
  };

  apply();
  document.addEventListener("DOMContentLoaded", function () {
    settings = load();
    apply();
    document.addEventListener("click", function (event) {
      var target = event.target;
      if (!target.closest) { return; }
      if (target.closest("[data-care-toggle]")) {
        change(function (s) { s.care = !s.care; });
        return;
      }
      if (target.closest("[data-a11y-open]")) {
        change(function (s) { s.open = !s.open; });
        return;
      }
      var button = target.closest("[data-a11y]");
      if (button) {
        if (button.getAttribute("aria-disabled") === "true") {
          zoom(button.getAttribute("data-a11y") === "zoom-in" ? 1 : -1);
          return;
        }
        var action = actions[button.getAttribute("data-a11y")];
        if (action) { action(button); }
        return;
      }
      carry(event);
    });
    /* The selection is read before a click on 朗读 can clear it. */
    document.addEventListener("pointerdown", function (event) {
      var b = event.target.closest && event.target.closest("[data-a11y=speak]");
      selected = b ? selection() : "";
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && settings.open && event.target.closest && event.target.closest("[data-a11y-bar]")) {
        actions.close();
      }
      if ((event.key === "Enter" || event.key === " ") && event.target.closest && event.target.closest("[data-a11y=speak]")) {
        selected = selection();
      }
    });
    document.addEventListener("submit", carryInForm, true);
    document.addEventListener("mousemove", function (event) { moveGuide(event.clientY); }, { passive: true });
    document.addEventListener("focusin", function (event) {
      var r = event.target.getBoundingClientRect && event.target.getBoundingClientRect();
      if (r && r.height) { moveGuide(r.top + r.height / 2); }
    });
  });
})();
