/* Trendmix embed script (served at /v1/embed.js; docs/widgets.md, "Embedding the box").
 *
 * A page places one or more boxes and loads this script once:
 *   <div data-trendmix-site="news" data-trendmix-article="a-123" data-trendmix-placement="below-article"></div>
 *   <script src="https://trendmix.example/v1/embed.js" async></script>
 * Each box is fetched as HTML from the server the script came from, with the server's stylesheet
 * (/v1/widget.css) unless the script tag says data-trendmix-css="none". An item counts as seen when half of it
 * is in view (IntersectionObserver) and as clicked when its link is followed; both are sent with
 * navigator.sendBeacon to /v1/impressions with the box's placement, host, seed article, variant and the item's
 * position. The reader id is first-party: a random id in this site's localStorage ("trendmix_reader"), or the
 * page's own id in data-trendmix-reader. The box under an article also gets the visit so far: the articles this
 * tab showed boxes under before it, kept in sessionStorage ("trendmix_visit"; a pause of 30 minutes starts a new
 * visit). No id or visit is kept or sent when the reader opted out (window.trendmix.optOut(), localStorage
 * "trendmix_opt_out" = "1") or the browser sends Global Privacy Control.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.trendmix) return;
  var base = script.src.split(/[?#]/)[0].replace(/\/v1\/embed\.js$/, "");
  var STORE = "trendmix_reader";
  var OPT_OUT = "trendmix_opt_out";
  var VISIT = "trendmix_visit";
  var VISIT_GAP = 30 * 60 * 1000;
  var VISIT_LENGTH = 20;
  var VISIT_CHARACTERS = 2000;  /* of the encoded list: boxes' URLs stay well under proxies' limits */

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function tabStorage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  function optedOut() {
    var s = storage();
    return navigator.globalPrivacyControl === true || (s !== null && s.getItem(OPT_OUT) === "1");
  }

  function randomId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function readerFor(el) {
    if (optedOut()) return null;
    var given = el.getAttribute("data-trendmix-reader");
    if (given) return given;
    var s = storage();
    if (s === null) return null;
    var id = s.getItem(STORE);
    if (!id) {
      id = randomId();
      try { s.setItem(STORE, id); } catch (e) { return null; }
    }
    return id;
  }

  /* The articles this tab read before `article` in the current visit, oldest first, as site:id; and `article`
   * recorded as the visit's latest. [] when opted out, without sessionStorage, or after a pause of VISIT_GAP. */
  function visitBefore(site, article) {
    var s = tabStorage();
    if (s === null) return [];
    if (optedOut()) {
      try { s.removeItem(VISIT); } catch (e) { /* nothing kept to remove */ }
      return [];
    }
    var now = Date.now();
    var visit = null;
    try { visit = JSON.parse(s.getItem(VISIT) || "null"); } catch (e) { visit = null; }
    var before = [];
    if (visit && Array.isArray(visit.articles) && typeof visit.time === "number" && now - visit.time < VISIT_GAP) {
      before = visit.articles.filter(function (a) { return typeof a === "string"; });
    }
    var reference = site && !/^https?:\/\//i.test(article) ? site + ":" + article : article;
    var kept = before.filter(function (a) { return a !== reference; });
    try {
      s.setItem(VISIT, JSON.stringify({ articles: kept.concat([reference]).slice(-VISIT_LENGTH), time: now }));
    } catch (e) { /* full or denied: the box goes without it */ }
    var sent = kept.slice(-VISIT_LENGTH);
    while (sent.length && sent.map(encodeURIComponent).join(",").length > VISIT_CHARACTERS) sent.shift();
    return sent;
  }

  function send(records) {
    if (records.length === 0) return;
    var url = base + "/v1/impressions";
    var body = JSON.stringify({ impressions: records });
    // text/plain: a type a beacon may carry to another origin without a preflight; the server reads it as JSON.
    if (navigator.sendBeacon && navigator.sendBeacon(url, new Blob([body], { type: "text/plain" }))) return;
    fetch(url, { method: "POST", body: body, headers: { "Content-Type": "text/plain" }, keepalive: true,
                 credentials: "omit" }).catch(function () {});
  }

  function track(el, placement, reader) {
    var box = el.querySelector(".trendmix-widget");
    if (!box) return;
    var view = randomId();
    var pending = [];
    var timer = null;
    function record(item, kind) {
      var position = Number(item.getAttribute("data-position"));
      var r = {
        id: view + ":" + position + (kind === "click" ? ":click" : ""), kind: kind, placement: placement,
        host: box.getAttribute("data-host"), site: item.getAttribute("data-site"),
        article: item.getAttribute("data-article"), position: position
      };
      if (box.hasAttribute("data-article")) r.seed = box.getAttribute("data-article");
      if (box.hasAttribute("data-variant")) r.variant = box.getAttribute("data-variant");
      if (reader) r.reader = reader;
      return r;
    }
    function flush() {
      if (timer !== null) { clearTimeout(timer); timer = null; }
      send(pending.splice(0, pending.length));
    }
    var items = box.querySelectorAll(".trendmix-item");
    if ("IntersectionObserver" in window) {
      var observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          observer.unobserve(entry.target);
          pending.push(record(entry.target, "impression"));
        });
        if (pending.length > 0 && timer === null) timer = setTimeout(flush, 500);
      }, { threshold: 0.5 });
      items.forEach(function (item) { observer.observe(item); });
    }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") flush();
    });
    box.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a");
      var item = link && link.closest(".trendmix-item");
      if (!item || !box.contains(item)) return;
      flush();
      send([record(item, "click")]);
    });
  }

  function render(el) {
    if (el.getAttribute("data-trendmix-state")) return;
    el.setAttribute("data-trendmix-state", "loading");
    var site = el.getAttribute("data-trendmix-site");
    var article = el.getAttribute("data-trendmix-article");
    var placement = el.getAttribute("data-trendmix-placement") || (article ? "below-article" : "site-box");
    var reader = readerFor(el);
    var path = article
      ? "/v1/articles/" + encodeURIComponent(article) + "/widget.html"
      : "/v1/sites/" + encodeURIComponent(site || "") + "/widget.html";
    var query = [];
    if (article && site) query.push("site=" + encodeURIComponent(site));
    if (article) {
      var visit = visitBefore(site, article);
      if (visit.length) query.push("visit=" + visit.map(encodeURIComponent).join(","));
    }
    var k = el.getAttribute("data-trendmix-k");
    if (k) query.push("k=" + encodeURIComponent(k));
    if (reader) query.push("reader=" + encodeURIComponent(reader));
    var url = base + path + (query.length ? "?" + query.join("&") : "");
    fetch(url, { credentials: "omit", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error("trendmix: " + response.status + " for " + url);
        return response.text();
      })
      .then(function (html) {
        el.innerHTML = html;
        el.setAttribute("data-trendmix-state", "shown");
        track(el, placement, reader);
      })
      .catch(function (error) {
        el.setAttribute("data-trendmix-state", "failed");
        if (window.console) console.warn(error);
      });
  }

  function stylesheet() {
    if (script.getAttribute("data-trendmix-css") === "none") return;
    var href = base + "/v1/widget.css";
    if (document.querySelector('link[href="' + href + '"]')) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    // First in <head>, so that the page's own rules for .trendmix-* come later and win.
    document.head.insertBefore(link, document.head.firstChild);
  }

  function start() {
    stylesheet();
    document.querySelectorAll("[data-trendmix-site], [data-trendmix-article]").forEach(render);
  }

  window.trendmix = {
    /** Renders boxes added to the page after it loaded. */
    refresh: start,
    /** Forgets this reader's id and sends none from now on (kept in localStorage). */
    optOut: function () {
      var t = tabStorage();
      try { if (t !== null) t.removeItem(VISIT); } catch (e) { /* nothing kept */ }
      var s = storage();
      try { if (s !== null) { s.removeItem(STORE); s.setItem(OPT_OUT, "1"); } } catch (e) { /* storage denied */ }
    },
    optIn: function () {
      var s = storage();
      if (s !== null) s.removeItem(OPT_OUT);
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
