/** The dashboard's one HTML page (served at /). Script and style are served beside it. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ssmd gateway</title>
<link rel="stylesheet" href="/dashboard.css">
</head>
<body>
<header>
  <a class="brand" href="#/">ssmd</a>
  <div id="status-strip">
    <span>connector <b id="st-connector">…</b></span>
    <span>messages/s <b id="st-rate">…</b></span>
    <span>gaps today <b id="st-gaps">…</b></span>
    <span>markets <b id="st-markets">…</b></span>
    <span>books live <b id="st-live">…</b></span>
    <span>clients <b id="st-clients">…</b></span>
  </div>
</header>
<main>
  <section id="list-view">
    <input id="search" type="search" placeholder="search tickers…" autocomplete="off">
    <table id="markets">
      <thead><tr><th>ticker</th><th>bid</th><th>ask</th><th>last</th><th>volume</th><th>trades</th><th>book</th></tr></thead>
      <tbody></tbody>
    </table>
    <p id="list-empty" class="muted" hidden>no markets yet — is the connector running?</p>
  </section>
  <section id="market-view" hidden>
    <h1 id="market-title"></h1>
    <p id="market-state" class="muted"></p>
    <div class="market-grid">
      <div>
        <h2>order book <span class="muted">(YES)</span></h2>
        <table id="ladder"><thead><tr><th>bid size</th><th>price</th><th>ask size</th></tr></thead><tbody></tbody></table>
      </div>
      <div>
        <h2>price</h2>
        <canvas id="chart" width="520" height="240"></canvas>
        <h2>trades</h2>
        <table id="tape"><thead><tr><th>time</th><th>price</th><th>size</th><th>taker</th></tr></thead><tbody></tbody></table>
      </div>
    </div>
  </section>
</main>
<script src="/dashboard.js"></script>
</body>
</html>
`;
