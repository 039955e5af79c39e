/** `--name value` pairs of a bench worker's command line (the orchestrator writes them; no flag stands alone). */
export function parseArgs(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k?.startsWith('--') && v !== undefined) out[k.slice(2)] = v;
  }
  return out;
}
