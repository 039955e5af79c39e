// The dashboard's only stylesheet, inlined so the page works from a file, an HTTP endpoint or an email
// attachment with no fetches. System fonts; colours chosen for ≥ 4.5:1 text contrast on their backgrounds.

export const OUTCOME_COLOURS = {
  fixed: '#2e7d32',
  planned: '#1f6fb2',
  deferred: '#b7791f',
  failed: '#c62828',
  other: '#7b8794',
} as const;

export const DASHBOARD_CSS = `
:root {
  --bg: #f5f6f8; --card: #ffffff; --line: #d9dee4; --text: #1b1f24; --muted: #525c67;
  --ok: #2e7d32; --warn: #9a6400; --bad: #b3261e; --accent: #1f6fb2;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--text); background: var(--bg); line-height: 1.4;
}
* { box-sizing: border-box; }
body { margin: 0; }
main { max-width: 1240px; margin: 0 auto; padding: 16px 20px 32px; }
header.top { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 4px 24px;
  padding-bottom: 10px; border-bottom: 1px solid var(--line); margin-bottom: 14px; }
h1 { font-size: 1.35rem; margin: 0; font-weight: 650; }
h1 .tenant { color: var(--muted); font-weight: 500; }
h2 { font-size: 1rem; margin: 0 0 10px; font-weight: 650; }
h2 .count { color: var(--muted); font-weight: 500; font-size: .85rem; }
.meta { color: var(--muted); font-size: .85rem; margin: 0; }
.banner { background: #fff4ce; border: 1px solid #e5c96b; color: #4d3b00; border-radius: 6px; padding: 8px 12px;
  font-size: .875rem; margin: 0 0 12px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin-bottom: 10px; }
.tile { background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 6px;
  padding: 8px 12px; min-width: 0; }
.tile.warn { border-left-color: #d69e2e; }
.tile.bad { border-left-color: var(--bad); }
.tile.good { border-left-color: var(--ok); }
.tile .label { font-size: .8rem; color: var(--muted); margin: 0; }
.tile .value { font-size: 1.6rem; font-weight: 650; margin: 0; font-variant-numeric: tabular-nums; }
.tiles.secondary .value { font-size: 1.15rem; }
.tile .sub { font-size: .75rem; color: var(--muted); margin: 0; overflow-wrap: break-word; }
.sev { display: inline-block; border-radius: 999px; padding: 0 7px; font-size: .75rem; font-weight: 600; white-space: nowrap; }
.sev-critical { background: #fde7e9; color: #8a1020; }
.sev-error { background: #fdece6; color: #9c2d0e; }
.sev-warning { background: #fff4ce; color: #6b4f00; }
.sev-info { background: #e7f0fb; color: #0b4f8a; }
/* Small enough that two chips share a line in a tile; larger counts wrap instead of overflowing. */
.chips { display: flex; flex-wrap: wrap; gap: 3px 4px; margin-top: 2px; }
.chips .sev { font-size: .7rem; padding: 0 5px; }
.grid2 { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 12px; margin: 12px 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; min-width: 0; }
.card svg { display: block; width: 100%; height: auto; }
.runs .grid2 { margin: 0; }
.runs h3 { font-size: .85rem; margin: 0 0 4px; color: var(--muted); font-weight: 600; }
.runs ul { margin: 0; padding: 0 0 0 18px; font-size: .85rem; overflow-wrap: anywhere; }
.card svg text { font-family: inherit; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: .8rem; color: var(--muted); margin: 6px 0 0; padding: 0; list-style: none; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.empty { color: var(--muted); font-size: .875rem; margin: 8px 0; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; font-size: .85rem; }
th { text-align: left; font-weight: 600; color: var(--muted); border-bottom: 2px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid #eceff2; padding: 6px 8px; vertical-align: top; overflow-wrap: anywhere; }
tbody th { text-align: left; font-weight: 500; color: var(--text); border-bottom: 1px solid #eceff2; padding: 6px 8px; }
tbody tr:nth-child(even) td, tbody tr:nth-child(even) th { background: #fafbfc; }
.zero { color: #9aa4ae; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, "Cascadia Mono", Consolas, "Liberation Mono", monospace; font-size: .8rem; }
.fix { color: #343b43; font-size: .8rem; }
.fix.what { margin: 0 0 8px; max-width: 110ch; }
.ids { color: var(--muted); font-size: .75rem; }
details { background: var(--card); border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; }
details > summary { cursor: pointer; padding: 8px 14px; font-weight: 600; }
details > summary .count { color: var(--muted); font-weight: 500; }
details > div { padding: 0 14px 12px; }
section { margin: 14px 0; }
.note { color: var(--muted); font-size: .8rem; margin: 6px 0 0; }
footer { color: var(--muted); font-size: .75rem; margin-top: 20px; border-top: 1px solid var(--line); padding-top: 8px; }
@media (max-width: 900px) { .grid2 { grid-template-columns: minmax(0, 1fr); } }
`;
