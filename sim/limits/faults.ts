/**
 * Fault injection. A rule matches requests by method, version and a path regex, optionally only
 * after the first `after` matches and at most `times` times, and then injects one or more effects:
 * an error status (with or without Retry-After), extra latency, a malformed page, or a paging cursor
 * that never advances. Rules apply to $batch items too, so per-item failures can be produced.
 */
import { z } from 'zod';

export const faultRuleSchema = z
  .strictObject({
    id: z.string().optional(),
    method: z.string().optional(),
    /** Regular expression (case-insensitive) tested against `/{version}{path}`, e.g. `autopilotEvents$`. */
    path: z.string().optional(),
    version: z.enum(['v1.0', 'beta']).optional(),
    /** Let this many matching requests through untouched first. */
    after: z.number().int().nonnegative().default(0),
    /** Apply at most this many times (default: forever). */
    times: z.number().int().positive().optional(),
    status: z.number().int().min(400).max(599).optional(),
    retryAfterSeconds: z.number().nonnegative().optional(),
    code: z.string().optional(),
    message: z.string().optional(),
    latencyMs: z.number().nonnegative().optional(),
    malformed: z.enum(['badJson', 'valueNotArray']).optional(),
    stuckCursor: z.boolean().optional(),
    /** Like stuckCursor, but every nextLink is a new URL (a rotating token): a client cannot spot the loop by the link. */
    rotatingCursor: z.boolean().optional(),
    /** Perform the request, then answer with `status` anyway: a write that "may still have applied". */
    afterApply: z.boolean().optional(),
  })
  .refine(
    (r) =>
      r.status !== undefined ||
      r.latencyMs !== undefined ||
      r.malformed !== undefined ||
      r.stuckCursor === true ||
      r.rotatingCursor === true,
    'a fault needs at least one effect: status, latencyMs, malformed, stuckCursor or rotatingCursor',
  );

export type FaultRuleInput = z.input<typeof faultRuleSchema>;
export type FaultRule = z.output<typeof faultRuleSchema> & { id: string };

/** What the matching rules add up to for one request. */
export interface FaultEffect {
  latencyMs: number;
  error: FaultRule | null;
  malformed: 'badJson' | 'valueNotArray' | null;
  stuckCursor: boolean;
  /** 0, or a number that changes with every matching request (the rotation of the nextLink). */
  rotation: number;
}

interface Live {
  rule: FaultRule;
  re: RegExp | null;
  seen: number;
  applied: number;
}

export class Faults {
  private rules: Live[] = [];
  private nextId = 1;

  add(input: FaultRuleInput): string {
    const parsed = faultRuleSchema.parse(input);
    const rule: FaultRule = { ...parsed, id: parsed.id ?? `fault-${this.nextId++}` };
    this.rules.push({ rule, re: rule.path ? new RegExp(rule.path, 'i') : null, seen: 0, applied: 0 });
    return rule.id;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.rule.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): (FaultRule & { seen: number; applied: number })[] {
    return this.rules.map((r) => ({ ...r.rule, seen: r.seen, applied: r.applied }));
  }

  /** Counts the request against every matching rule and returns the combined effect. */
  match(method: string, version: string, path: string): FaultEffect {
    const effect: FaultEffect = { latencyMs: 0, error: null, malformed: null, stuckCursor: false, rotation: 0 };
    const target = `/${version}${path}`;
    for (const live of this.rules) {
      const r = live.rule;
      if (r.method && r.method.toUpperCase() !== method.toUpperCase()) continue;
      if (r.version && r.version !== version) continue;
      if (live.re && !live.re.test(target)) continue;
      live.seen++;
      if (live.seen <= r.after) continue;
      if (r.times !== undefined && live.applied >= r.times) continue;
      live.applied++;
      effect.latencyMs += r.latencyMs ?? 0;
      if (r.status !== undefined && !effect.error) effect.error = r;
      if (r.malformed && !effect.malformed) effect.malformed = r.malformed;
      if (r.stuckCursor) effect.stuckCursor = true;
      if (r.rotatingCursor) effect.rotation = live.applied;
    }
    return effect;
  }
}
