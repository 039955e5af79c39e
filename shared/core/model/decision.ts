import type { ActionName, RemedyTarget } from './action-shapes.js';
import type { Finding } from './finding.js';

export const MODES = ['off', 'plan', 'enforce'] as const;
export type Mode = (typeof MODES)[number];

export type DecisionKind = 'remediate' | 'defer' | 'alert-only' | 'skip';

export interface Decision {
  readonly finding: Finding;
  readonly kind: DecisionKind;
  readonly action: ActionName | null;
  readonly mode: Mode;
  /** Plain words for the history table and alerts. */
  readonly reason: string;
  readonly remedy: RemedyTarget | null;
  /** For 'defer': when the action may run (epoch ms). */
  readonly notBefore: number | null;
  readonly attempt: number;
}
