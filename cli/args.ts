import { parseArgs, type ParseArgsConfig } from 'node:util';

// Each command declares its flags once; help text and parsing come from the same table.

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly help: string;
  readonly value?: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** One required positional argument (e.g. `device <key>`), parsed into the flags under its name. */
  readonly positional?: { readonly name: string; readonly help: string };
  /** Several positional arguments (e.g. `approvals <verb> [id]`), the first `required` of them required. */
  readonly positionals?: {
    readonly args: readonly { readonly name: string; readonly help: string }[];
    readonly required: number;
  };
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type ParsedFlags = Readonly<Record<string, string | boolean | undefined>>;

export function parseFlags(spec: CommandSpec, argv: readonly string[]): ParsedFlags {
  const options: ParseArgsConfig['options'] = { help: { type: 'boolean', short: 'h' } };
  for (const [name, f] of Object.entries(spec.flags)) options[name] = { type: f.type };
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      allowPositionals: spec.positional !== undefined || spec.positionals !== undefined,
      strict: true,
    });
    if (spec.positionals && values.help !== true) return withPositionals(spec.positionals, values, positionals);
    if (!spec.positional || values.help === true) return values as ParsedFlags;
    if (positionals.length !== 1) {
      throw new TypeError(
        positionals.length === 0
          ? `missing <${spec.positional.name}>: ${spec.positional.help}`
          : `expected one <${spec.positional.name}>, got ${positionals.length}`,
      );
    }
    return { ...(values as ParsedFlags), [spec.positional.name]: positionals[0] };
  } catch (err) {
    throw new UsageError(`${spec.name}: ${(err as Error).message}\n\n${helpText(spec)}`);
  }
}

function withPositionals(
  spec: NonNullable<CommandSpec['positionals']>,
  values: Record<string, unknown>,
  given: readonly string[],
): ParsedFlags {
  const missing = spec.args[given.length];
  if (given.length < spec.required && missing) throw new TypeError(`missing <${missing.name}>: ${missing.help}`);
  if (given.length > spec.args.length)
    throw new TypeError(`expected at most ${spec.args.length} arguments, got ${given.length}`);
  const named = Object.fromEntries(given.map((v, i) => [spec.args[i]?.name ?? String(i), v]));
  return { ...(values as ParsedFlags), ...named };
}

export function helpText(spec: CommandSpec): string {
  const flagRows = Object.entries(spec.flags).map(
    ([name, f]) => [`--${name}${f.value ? ` ${f.value}` : ''}`, f.help] as const,
  );
  const argRows = spec.positional
    ? [[`<${spec.positional.name}>`, spec.positional.help] as const]
    : (spec.positionals?.args ?? []).map((a) => [`<${a.name}>`, a.help] as const);
  const all = [...flagRows, ['--help', 'show this help'] as const, ...argRows];
  // Every description starts in one column: the longest left-hand entry's width, plus two spaces.
  const width = Math.max(...all.map(([left]) => left.length));
  const row = ([left, help]: readonly [string, string]): string => `  ${left.padEnd(width)}  ${help}`;
  const arg = spec.positional
    ? ` <${spec.positional.name}>`
    : (spec.positionals?.args ?? [])
        .map((a, i) => (i < (spec.positionals?.required ?? 0) ? ` <${a.name}>` : ` [<${a.name}>]`))
        .join('');
  const argHelp = argRows.length > 0 ? ['', 'Arguments:', ...argRows.map(row)] : [];
  return [
    `Usage: autopilot-medic ${spec.name}${arg} [options]`,
    '',
    spec.summary,
    ...argHelp,
    '',
    'Options:',
    ...flagRows.map(row),
    row(['--help', 'show this help']),
  ].join('\n');
}

export function str(flags: ParsedFlags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function bool(flags: ParsedFlags, name: string): boolean {
  return flags[name] === true;
}
