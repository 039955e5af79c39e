import type { CatalogEntry } from '../catalog/types.js';
import { ACTIONS } from '../model/index.js';
import { CODE_GATES, COMMON_GATES, COMMON_LIMITS, REMEDIATION_RULES } from './remediation-rules.js';

// The README's "What it fixes and when" section, rendered from the catalog (what each remediable finding is)
// and the remediation rules (each action's gates and caps). Pure: the caller passes the settings' defaults,
// so the table shows the numbers a fresh install runs with.

/** Configuration key -> its default as text ('' = no default). */
export type SettingDefaults = Readonly<Record<string, string>>;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** `{KEY}` -> `KEY` (default …). Throws on a key the configuration does not know, so the table cannot lie. */
export function fillSettings(text: string, defaults: SettingDefaults): string {
  return text.replace(/\{([A-Z][A-Z0-9_]*)\}/g, (_m, key: string) => {
    const value = defaults[key];
    if (value === undefined) throw new Error(`remediation rules name ${key}, which is not a configuration setting`);
    return value === '' ? `\`${key}\`` : `\`${key}\` = ${value}`;
  });
}

const list = (items: readonly string[], defaults: SettingDefaults): string =>
  items.map((i) => `• ${fillSettings(i, defaults)}`).join('<br>');

export function renderRemediationTable(catalog: readonly CatalogEntry[], defaults: SettingDefaults): string {
  const remediable = ACTIONS.flatMap((action) => catalog.filter((e) => e.remediation === action));
  const rows = remediable.map((e) => {
    const action = e.remediation ?? ACTIONS[0];
    const rule = REMEDIATION_RULES[action];
    const gates = [...(CODE_GATES[e.code as keyof typeof CODE_GATES] ?? []), ...rule.gates];
    return `| \`${e.code}\`<br>${cell(e.title)} | \`${action}\`<br>${cell(rule.call)} | ${cell(list(gates, defaults))} | ${cell(list(rule.caps, defaults))} |`;
  });
  const alertOnly = catalog.length - remediable.length;
  return [
    `Every automatic fix also needs: ${COMMON_GATES.map((g) => fillSettings(g, defaults)).join('; ')}. ` +
      'When a gate does not hold, the finding is alerted with its documented fix instead.',
    '',
    `Blast radius: ${COMMON_LIMITS.map((l) => fillSettings(l, defaults)).join('; ')}.`,
    '',
    '| finding | remediation | acts only when | limits |',
    '|---|---|---|---|',
    ...rows,
    '',
    `The other ${alertOnly} findings in the catalog are detected and alerted with their documented fix, never remediated automatically.`,
  ].join('\n');
}
