import { terminalText } from './terminal.js';

// Plain-text tables sized to the content (and to the terminal when there is one). Cells hold tenant data, so
// each is made terminal-safe before it is measured.

export function table(
  rawHeaders: readonly string[],
  rawRows: readonly (readonly string[])[],
  maxWidth = process.stdout.columns ?? 160,
): string {
  const headers = rawHeaders.map(terminalText);
  const rows = rawRows.map((r) => r.map(terminalText));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Shrink the last column first so long titles wrap the table into the terminal instead of overflowing it.
  const total = widths.reduce((a, b) => a + b + 2, 0);
  const last = widths.length - 1;
  if (total > maxWidth && last >= 0) widths[last] = Math.max(12, (widths[last] ?? 0) - (total - maxWidth));
  const cell = (s: string, w: number) => (s.length > w ? `${s.slice(0, Math.max(0, w - 1))}…` : s.padEnd(w));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => cell(c, widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}
