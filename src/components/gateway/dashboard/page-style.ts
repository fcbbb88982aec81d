/** The dashboard's stylesheet. */
export const PAGE_CSS = `
:root { --bg:#0f1216; --panel:#171b21; --fg:#e6e9ef; --muted:#8b93a1; --bid:#3fb950; --ask:#f85149; --line:#2a313b; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.4 system-ui, sans-serif; background:var(--bg); color:var(--fg); }
header { display:flex; gap:24px; align-items:center; padding:10px 16px; background:var(--panel); border-bottom:1px solid var(--line); }
.brand { font-weight:700; color:var(--fg); text-decoration:none; font-size:18px; }
#status-strip { display:flex; gap:18px; flex-wrap:wrap; color:var(--muted); }
#status-strip b { color:var(--fg); font-variant-numeric: tabular-nums; }
#status-strip b.bad { color:var(--ask); } #status-strip b.good { color:var(--bid); }
main { padding:16px; }
#search { width:320px; padding:6px 10px; background:var(--panel); color:var(--fg); border:1px solid var(--line); border-radius:4px; margin-bottom:12px; }
table { border-collapse:collapse; font-variant-numeric: tabular-nums; }
th, td { padding:3px 10px; text-align:right; border-bottom:1px solid var(--line); }
th:first-child, td:first-child { text-align:left; }
th { color:var(--muted); font-weight:500; }
#markets a { color:#79b8ff; text-decoration:none; }
td.bid, .bid { color:var(--bid); } td.ask, .ask { color:var(--ask); }
td.flash { background:#2d333b; transition: background 0.1s; }
.muted { color:var(--muted); }
.market-grid { display:grid; grid-template-columns: minmax(280px, 420px) 1fr; gap:24px; }
#ladder td:nth-child(2) { text-align:center; font-weight:600; }
#ladder tr.spread td { border-bottom:2px solid var(--muted); }
#chart { background:var(--panel); border:1px solid var(--line); }
.stale { color:var(--ask); font-weight:600; }
`;
