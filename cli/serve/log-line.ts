// How `serve` prints what a trigger logs: a run's summary as one line (`poll: findings 18, opened 2, …`), warnings
// and errors with their fields as they come; the rest stays quiet. The caller makes the line terminal-safe.

export function logLine(name: string, level: string, args: readonly unknown[]): string | null {
  const [event, fields] = [String(args[0]), args[1]];
  const facts =
    typeof fields === 'object' && fields !== null
      ? Object.entries(fields)
          .filter(([k]) => k !== 'slot' && k !== 'reportId')
          .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
          .join(', ')
      : '';
  if (level === 'information' && event.endsWith('.summary')) return `${name}: ${facts}`;
  if (level === 'warning' || level === 'error') return `${name} ${level}: ${event}${facts ? ` (${facts})` : ''}`;
  return null;
}
