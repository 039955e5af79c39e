/**
 * The tenants file of `sim/main.ts --tenants FILE`: several simulated tenants for one simulator process, as JSON
 * (`{"tenants": [...]}` or the bare array). Each entry takes the per-tenant options of `startSimulator`; a scenario
 * path is read relative to the file. Every problem is reported at once, each naming its path in the file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { TenantOptions } from '../hosted.js';
import { faultRuleSchema } from '../limits/faults.js';
import { denialSchema, optionsSchema } from './schema.js';

const tenantEntrySchema = optionsSchema
  .pick({ token: true, roles: true, latencyMs: true, writeLimit: true, syncDurationMs: true, exportJob: true })
  .extend({
    tenantId: z.string().min(1).optional(),
    /** A bundled scenario name, a path (relative to the tenants file) or a scenario object. */
    scenario: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
    faults: z.array(faultRuleSchema).optional(),
    denials: z.array(denialSchema).optional(),
  });

const tenantsFileSchema = z.strictObject({ tenants: z.array(tenantEntrySchema).min(1) });

/** Read and validate a tenants file; throws one error listing every problem. */
export function readTenantsFile(file: string): TenantOptions[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`tenants file ${file} cannot be read as JSON: ${(e as Error).message}`);
  }
  // The bare array is the `tenants` list: one schema, so every problem is named (a union names none).
  const parsed = tenantsFileSchema.safeParse(Array.isArray(raw) ? { tenants: raw } : raw);
  if (!parsed.success) throw new Error(`invalid tenants file ${file}:\n${z.prettifyError(parsed.error)}`);
  const list = parsed.data.tenants;
  const dir = path.dirname(path.resolve(file));
  return list.map((t): TenantOptions => {
    const { scenario, ...rest } = t;
    // A path in the file means a path next to the file; a bare name is a bundled scenario.
    const resolved =
      typeof scenario === 'string' && /[/\\]|\.json$/i.test(scenario) ? path.resolve(dir, scenario) : scenario;
    return { ...rest, ...(resolved !== undefined ? { scenario: resolved } : {}) };
  });
}
