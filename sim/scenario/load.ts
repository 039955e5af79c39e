/**
 * Finding and parsing scenario files. The app is compiled to dist/, and tsc does not copy JSON, so
 * scenarios are read at run time from `<package root>/sim/scenarios`, found by walking up from this
 * module to the folder holding package.json (works from sim/ under vitest and from dist/sim/).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { resolveTimesDeep } from '../clock.js';
import { scenarioSchema, type Scenario, type ScenarioObject } from './schema.js';

export function packageRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
}

export const scenariosDir = (): string => path.join(packageRoot(), 'sim', 'scenarios');

/** `demo` → `<root>/sim/scenarios/demo.json`; anything else is a path (relative to the cwd). */
export function resolveScenarioPath(nameOrPath: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(nameOrPath)) {
    const bundled = path.join(scenariosDir(), `${nameOrPath}.json`);
    if (existsSync(bundled)) return bundled;
  }
  const p = path.resolve(nameOrPath);
  if (!existsSync(p)) throw new Error(`scenario '${nameOrPath}' not found (looked for ${p} and in ${scenariosDir()})`);
  return p;
}

export function readScenarioFile(nameOrPath: string): ScenarioObject {
  const file = resolveScenarioPath(nameOrPath);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ScenarioObject;
  } catch (e) {
    throw new Error(`scenario ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Resolve relative times against `nowMs`, then validate; errors name the offending path. */
export function parseScenario(raw: ScenarioObject | string, nowMs: number): Scenario {
  const source = typeof raw === 'string' ? readScenarioFile(raw) : raw;
  const result = scenarioSchema.safeParse(resolveTimesDeep(source, nowMs));
  if (!result.success) throw new Error(`invalid scenario:\n${z.prettifyError(result.error)}`);
  return result.data;
}
