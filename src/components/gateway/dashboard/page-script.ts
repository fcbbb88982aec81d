/**
 * The dashboard's browser script (plain ES2020, no build step). The market list and the status
 * strip poll REST once a second; the market page opens /v1/stream for its symbol and keeps the
 * book from the snapshot + update events, the trade tape and the price chart.
 */
export const PAGE_JS = String.raw`"use strict";
(function () {
  var params = new URLSearchParams(location.search);
  var apiKey = params.get("api_key");
  var $ = function (id) { return document.getElementById(id); };
  var fmt = function (v, d) { return v === null || v === undefined ? "—" : Number(v).toFixed(d); };
  var withKey = function (path) {
    if (!apiKey) return path;
    return path + (path.indexOf("?") >= 0 ? "&" : "?") + "api_key=" + encodeURIComponent(apiKey);
  };
  var getJson = function (path) {
    return fetch(withKey(path)).then(function (r) { return r.json(); });
  };

  function setText(el, text) {
    if (el.textContent !== text) {
      el.textContent = text;
      el.classList.add("flash");
      setTimeout(function () { el.classList.remove("flash"); }, 300);
    }
  }

  // ---- status strip
  function refreshStatus() {
    getJson("/v1/health").then(function (h) {
      var c = $("st-connector");
      c.textContent = h.connector;
      c.className = h.connector === "connected" ? "good" : h.connector === "disconnected" ? "bad" : "";
      $("st-rate").textContent = String(h.messages_per_s);
      $("st-gaps").textContent = String(h.gaps_today);
      $("st-gaps").className = h.gaps_today > 0 ? "bad" : "";
      $("st-markets").textContent = String(h.markets);
      $("st-live").textContent = h.books_live + (h.books_stale ? " (" + h.books_stale + " stale)" : "");
      $("st-clients").textContent = String(h.clients);
    }).catch(function () { $("st-connector").textContent = "gateway unreachable"; });
  }

  // ---- market list
  var rows = {};
  function refreshList() {
    var q = $("search").value.trim();
    getJson("/v1/markets?limit=500" + (q ? "&q=" + encodeURIComponent(q) : "")).then(function (body) {
      var tbody = document.querySelector("#markets tbody");
      var seen = {};
      body.markets.forEach(function (m) {
        seen[m.ticker] = true;
        var row = rows[m.ticker];
        if (!row) {
          row = document.createElement("tr");
          row.dataset.ticker = m.ticker;
          row.innerHTML = "<td><a></a></td><td class='bid'></td><td class='ask'></td><td></td><td></td><td></td><td></td>";
          var link = row.querySelector("a");
          link.textContent = m.ticker;
          link.href = "#/market/" + encodeURIComponent(m.ticker);
          rows[m.ticker] = row;
        }
        tbody.appendChild(row);
        var cells = row.children;
        setText(cells[1], fmt(m.bid, 4));
        setText(cells[2], fmt(m.ask, 4));
        setText(cells[3], fmt(m.last, 4));
        setText(cells[4], fmt(m.volume, 2));
        setText(cells[5], String(m.trades));
        cells[6].textContent = m.state;
        cells[6].className = m.state === "stale" ? "stale" : "";
      });
      Object.keys(rows).forEach(function (t) {
        if (!seen[t]) { rows[t].remove(); delete rows[t]; }
      });
      $("list-empty").hidden = body.markets.length > 0;
    }).catch(function () {});
  }

  // ---- market page
  var current = null;
  function openMarket(ticker) {
    closeMarket();
    var state = { ticker: ticker, bids: new Map(), asks: new Map(), prices: [], ws: null, closed: false };
    current = state;
    $("market-title").textContent = ticker;
    $("market-state").textContent = "connecting…";
    document.querySelector("#tape tbody").innerHTML = "";
    document.querySelector("#ladder tbody").innerHTML = "";
    getJson("/v1/markets/" + encodeURIComponent(ticker) + "/prices").then(function (b) {
      if (state.closed) return;
      state.prices = b.prices.concat(state.prices);
      drawChart(state);
    }).catch(function () {});
    getJson("/v1/markets/" + encodeURIComponent(ticker) + "/trades?limit=30").then(function (b) {
      if (state.closed) return;
      b.trades.slice().reverse().forEach(function (t) { addTrade(t); });
    }).catch(function () {});
    connect(state);
  }

  function connect(state) {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(withKey(proto + location.host + "/v1/stream?symbols=" + encodeURIComponent(state.ticker)));
    state.ws = ws;
    ws.onmessage = function (e) { onEvent(state, JSON.parse(e.data)); };
    ws.onclose = function (e) {
      if (state.closed) return;
      $("market-state").textContent = "disconnected (" + e.code + " " + e.reason + "), reconnecting…";
      setTimeout(function () { if (!state.closed) connect(state); }, 1000);
    };
  }

  function closeMarket() {
    if (!current) return;
    current.closed = true;
    if (current.ws) current.ws.close();
    current = null;
  }

  function onEvent(state, ev) {
    if (ev.type === "orderbook") {
      if (ev.snapshot) { state.bids.clear(); state.asks.clear(); }
      ev.bids.forEach(function (l) { if (l[1] > 0) state.bids.set(l[0], l[1]); else state.bids.delete(l[0]); });
      ev.asks.forEach(function (l) { if (l[1] > 0) state.asks.set(l[0], l[1]); else state.asks.delete(l[0]); });
      $("market-state").textContent = "live";
      $("market-state").className = "muted";
      scheduleLadder(state);
    } else if (ev.type === "trade") {
      addTrade(ev);
      state.prices.push([ev.ts, ev.price]);
      if (state.prices.length > 2000) state.prices.shift();
      drawChart(state);
    } else if (ev.type === "status" && ev.ticker) {
      if (ev.state !== "live") {
        state.bids.clear(); state.asks.clear(); scheduleLadder(state);
        $("market-state").textContent = "book " + ev.state + (ev.reason ? " (" + ev.reason + ")" : "") + " — waiting for a snapshot";
        $("market-state").className = "stale";
      }
    } else if (ev.type === "error") {
      $("market-state").textContent = ev.message;
      $("market-state").className = "stale";
    }
  }

  var ladderPending = false;
  function scheduleLadder(state) {
    if (ladderPending) return;
    ladderPending = true;
    requestAnimationFrame(function () { ladderPending = false; if (!state.closed) drawLadder(state); });
  }

  function drawLadder(state) {
    var depth = 12;
    var asks = Array.from(state.asks.entries()).sort(function (a, b) { return a[0] - b[0]; }).slice(0, depth).reverse();
    var bids = Array.from(state.bids.entries()).sort(function (a, b) { return b[0] - a[0]; }).slice(0, depth);
    var html = "";
    asks.forEach(function (l, i) {
      html += "<tr" + (i === asks.length - 1 ? " class='spread'" : "") + "><td></td><td class='ask'>" + l[0].toFixed(4) + "</td><td class='ask'>" + l[1].toFixed(2) + "</td></tr>";
    });
    bids.forEach(function (l) {
      html += "<tr><td class='bid'>" + l[1].toFixed(2) + "</td><td class='bid'>" + l[0].toFixed(4) + "</td><td></td></tr>";
    });
    document.querySelector("#ladder tbody").innerHTML = html;
  }

  function addTrade(t) {
    var tbody = document.querySelector("#tape tbody");
    var row = document.createElement("tr");
    var time = new Date(t.ts).toISOString().slice(11, 19);
    row.innerHTML = "<td>" + time + "</td><td class='" + (t.side === "no" ? "ask" : "bid") + "'>" + t.price.toFixed(4) + "</td><td>" + t.size.toFixed(2) + "</td><td>" + (t.side || "—") + "</td>";
    tbody.insertBefore(row, tbody.firstChild);
    while (tbody.children.length > 30) tbody.removeChild(tbody.lastChild);
  }

  function drawChart(state) {
    var canvas = $("chart");
    var ctx = canvas.getContext("2d");
    var w = canvas.width, h = canvas.height, pad = 30;
    ctx.clearRect(0, 0, w, h);
    var pts = state.prices;
    if (pts.length === 0) return;
    var t0 = pts[0][0], t1 = pts[pts.length - 1][0];
    var lo = 1, hi = 0;
    pts.forEach(function (p) { lo = Math.min(lo, p[1]); hi = Math.max(hi, p[1]); });
    if (hi - lo < 0.02) { lo = Math.max(0, lo - 0.01); hi = Math.min(1, hi + 0.01); }
    var x = function (t) { return pad + (t1 === t0 ? 0.5 : (t - t0) / (t1 - t0)) * (w - 2 * pad); };
    var y = function (p) { return h - pad - ((p - lo) / (hi - lo)) * (h - 2 * pad); };
    ctx.strokeStyle = "#2a313b"; ctx.fillStyle = "#8b93a1"; ctx.font = "11px sans-serif";
    [lo, (lo + hi) / 2, hi].forEach(function (p) {
      ctx.beginPath(); ctx.moveTo(pad, y(p)); ctx.lineTo(w - pad, y(p)); ctx.stroke();
      ctx.fillText(p.toFixed(3), 0, y(p) + 4);
    });
    ctx.strokeStyle = "#79b8ff"; ctx.lineWidth = 1.5; ctx.beginPath();
    pts.forEach(function (p, i) { if (i === 0) ctx.moveTo(x(p[0]), y(p[1])); else ctx.lineTo(x(p[0]), y(p[1])); });
    ctx.stroke();
  }

  // ---- routing
  function route() {
    var m = /^#\/market\/(.+)$/.exec(location.hash);
    $("list-view").hidden = !!m;
    $("market-view").hidden = !m;
    if (m) openMarket(decodeURIComponent(m[1]));
    else { closeMarket(); refreshList(); }
  }

  window.addEventListener("hashchange", route);
  $("search").addEventListener("input", refreshList);
  setInterval(function () { if (!current) refreshList(); }, 1000);
  setInterval(refreshStatus, 1000);
  refreshStatus();
  route();
})();
`;
