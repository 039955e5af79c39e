/**
 * Shared state of one generated tenant: the plant assignment and the fixed anchor time every
 * relative timestamp is computed from (so a device reads the same on every request).
 */
import {
  AUTOPILOT_PLANTS,
  DEVICEPREP_PLANTS,
  type AutopilotPlant,
  type DeviceprepPlant,
  type GenerateSpec,
} from './spec.js';
import { permutation } from './random.js';

export const INTUNE_PROVISIONING_CLIENT_APP_ID = 'f1346770-5b25-470b-88bd-d5744ab7952c';

export const PROFILES = {
  userDriven: 'Contoso Autopilot - User driven',
  preProvisioned: 'Contoso Autopilot - Pre-provisioned',
  selfDeploying: 'Contoso Autopilot - Self-deploying kiosk',
} as const;

export interface GenContext {
  seed: number;
  /** Autopilot-registered devices. */
  n: number;
  /** Device-preparation devices; their Entra/managed indexes are n..n+m-1. */
  m: number;
  anchor: number;
  policyName: string;
  healthyEventShare: number;
  /** 0 = healthy, k = AUTOPILOT_PLANTS[k-1]. */
  plantOf: Uint8Array;
  /** 0 = healthy, k = DEVICEPREP_PLANTS[k-1]. */
  dpPlantOf: Uint8Array;
}

export function autopilotPlant(ctx: GenContext, i: number): AutopilotPlant | null {
  const k = ctx.plantOf[i] ?? 0;
  return k === 0 ? null : (AUTOPILOT_PLANTS[k - 1] ?? null);
}

export function deviceprepPlant(ctx: GenContext, k: number): DeviceprepPlant | null {
  const p = ctx.dpPlantOf[k] ?? 0;
  return p === 0 ? null : (DEVICEPREP_PLANTS[p - 1] ?? null);
}

/** Assign plant kinds to disjoint, seeded-random device sets with exact counts. */
export function assignPlants<K extends string>(
  total: number,
  kinds: readonly K[],
  wanted: Partial<Record<K, number>>,
  seed: number,
): Uint8Array {
  const out = new Uint8Array(total);
  const need = kinds.reduce((s, k) => s + (wanted[k] ?? 0), 0);
  if (need > total) throw new Error(`plants need ${need} devices but only ${total} are generated`);
  const perm = permutation(total, seed);
  let at = 0;
  kinds.forEach((k, idx) => {
    for (let c = 0; c < (wanted[k] ?? 0); c++) out[perm[at++] ?? 0] = idx + 1;
  });
  return out;
}

export function makeContext(spec: GenerateSpec, anchor: number): GenContext {
  const m = spec.deviceprep.devices ?? Math.round(spec.devices * 0.02);
  return {
    seed: spec.seed,
    n: spec.devices,
    m,
    anchor,
    policyName: spec.deviceprep.policyName,
    healthyEventShare: spec.healthyEventShare,
    plantOf: assignPlants(spec.devices, AUTOPILOT_PLANTS, spec.plant, spec.seed),
    dpPlantOf: assignPlants(m, DEVICEPREP_PLANTS, spec.plant, spec.seed ^ 0x5bd1e995),
  };
}
