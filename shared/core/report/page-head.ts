import { DASHBOARD_CSS } from './dashboard-style.js';
import { html, trusted, type SafeHtml } from './html.js';

// The head every self-contained page shares (the dashboard, the overview): a CSP that allows no fetch and no script
// (the HTTP header repeats it and adds what a meta tag cannot carry), no referrer, the inline style, and an optional
// meta refresh within DASHBOARD_REFRESH.

export const DASHBOARD_REFRESH = { min: 2, max: 3600 } as const;

// The page must load nothing: the CSP forbids every fetch (scripts included — the page has none), so a hostile string
// that slipped past escaping still could not call out, and a viewer behind a proxy sees it all.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** `title` is escaped; `extraCss` is this code's own style text, never tenant data. */
export function pageHead(title: string, refreshSeconds: number | undefined, extraCss = ''): SafeHtml {
  return html`<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${trusted(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
${refreshMeta(refreshSeconds)}
<title>${title}</title>
<style>${trusted(DASHBOARD_CSS + extraCss)}</style>`;
}

function refreshMeta(seconds: number | undefined): SafeHtml {
  if (seconds === undefined || !Number.isInteger(seconds)) return trusted('');
  const s = Math.min(DASHBOARD_REFRESH.max, Math.max(DASHBOARD_REFRESH.min, seconds));
  return trusted(`<meta http-equiv="refresh" content="${s}">`);
}
