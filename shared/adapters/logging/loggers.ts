import type { LogFields, Logger } from '../../ports/index.js';

// Structured loggers. Event name + fields only; callers never pass secrets, and `scrub` is a last line of
// defence for values that look like bearer tokens, signed URLs or connection-string keys.

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

const SECRETISH = [
  /Bearer\s+[\w.~+/-]+=*/gi,
  /([?&](sig|code|token|key)=)[^&\s]+/gi,
  /(AccountKey|SharedAccessKey)=[^;\s]+/gi,
];

export function scrub(value: string): string {
  return SECRETISH.reduce((s, re) => s.replace(re, (_m, p1?: string) => (p1 ? `${p1}***` : 'Bearer ***')), value);
}

function format(fields: LogFields | undefined): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(fields ?? {})) if (v !== undefined) out[k] = typeof v === 'string' ? scrub(v) : v;
  return out;
}

/** JSON lines on stderr (stdout is kept for the CLI's --json output). */
export function streamLogger(
  minLevel: Level,
  write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Logger {
  const min = LEVELS.indexOf(minLevel);
  const log = (level: Level) => (event: string, fields?: LogFields) => {
    if (LEVELS.indexOf(level) < min) return;
    write(JSON.stringify({ level, event, ...format(fields) }));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** The minimal shape of an Azure Functions InvocationContext's log methods. */
export interface ContextLike {
  trace(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export function contextLogger(ctx: ContextLike, minLevel: Level = 'info'): Logger {
  const min = LEVELS.indexOf(minLevel);
  const emit = (level: Level, send: (event: string, fields: object) => void) => (event: string, fields?: LogFields) => {
    if (LEVELS.indexOf(level) >= min) send(event, format(fields));
  };
  return {
    debug: emit('debug', (e, f) => ctx.trace(e, f)),
    info: emit('info', (e, f) => ctx.info(e, f)),
    warn: emit('warn', (e, f) => ctx.warn(e, f)),
    error: emit('error', (e, f) => ctx.error(e, f)),
  };
}

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
