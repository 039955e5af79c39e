// Sums a V8 CPU profile (Profiler.stop) or a sampling heap profile (HeapProfiler.stopSampling) by the part of the
// app that spent it, for `npm run bench:profile`. A sample's time or bytes go to the nearest frame of the app's own
// code on its stack (dist/shared/…), so work done inside Node or V8 for the app — JSON.parse, TextDecoder.decode,
// a Buffer copy — counts where the app asked for it; samples with no app frame (the collector, idle time, undici's
// socket callbacks) count as what they are.

export interface ProfileFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

/** What the inspector's Profiler.stop returns (the fields read here). */
export interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: ProfileFrame; readonly children?: number[] }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A node of what HeapProfiler.stopSampling returns. */
export interface SamplingHeapNode {
  readonly callFrame: ProfileFrame;
  readonly selfSize: number;
  readonly children: readonly SamplingHeapNode[];
}

export interface Cost {
  readonly label: string;
  /** Microseconds (CPU) or bytes (allocations). */
  readonly amount: number;
}

export interface FunctionCost extends Cost {
  /** The nearest app frame above most of it, when that is not the function itself. */
  readonly via: string | null;
}

export interface ProfileSummary {
  readonly total: number;
  /** Idle time (CPU profiles): the process waiting, for Graph or for a timer. Not in `total`. */
  readonly idle: number;
  readonly areas: readonly Cost[];
  readonly functions: readonly FunctionCost[];
}

const APP = /\/dist\/shared\//;

/** The app's areas by path under dist/shared, first match wins. */
const AREAS: readonly (readonly [RegExp, string])[] = [
  [/\/shared\/adapters\/graph\//, 'Graph adapter: paging, decoding and parsing pages, HTTP'],
  [/\/shared\/adapters\/inprocess\//, 'in-memory stores (the bench stand-in for Table Storage)'],
  [/\/shared\/core\/fleet\//, 'fleet tables'],
  [/\/shared\/core\/detect\//, 'detection'],
  [/\/shared\/core\/(policy|governor)\//, 'decisions and the run plan'],
  [/\/shared\/core\/report\//, 'report figures'],
  [/\/shared\/app\//, 'use cases: lifecycle rows, queueing, proposals, report'],
  [/\/shared\//, 'shared helpers (hashing, JSON, model)'],
];

function areaOf(frame: ProfileFrame): string {
  if (APP.test(frame.url)) return AREAS.find(([re]) => re.test(frame.url))?.[1] ?? 'app';
  if (frame.functionName === '(garbage collector)') return 'garbage collection';
  if (frame.functionName === '(program)') return 'V8 and native code outside any JavaScript function';
  if (frame.url.includes('undici')) return 'HTTP client (undici), outside any app frame';
  if (frame.url.startsWith('node:')) return 'Node internals, outside any app frame';
  if (frame.url === '') return 'V8 builtins and native code, outside any app frame';
  return 'packages, outside any app frame';
}

function labelOf(frame: ProfileFrame): string {
  const file = frame.url.replace(/^.*\/dist\//, '').replace(/^file:\/\//, '');
  return file === '' ? frame.functionName : `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
}

function add(map: Map<string, number>, key: string, amount: number): void {
  map.set(key, (map.get(key) ?? 0) + amount);
}

function sorted(map: ReadonlyMap<string, number>): Cost[] {
  return [...map].map(([label, amount]) => ({ label, amount })).sort((a, b) => b.amount - a.amount);
}

/** Sums samples given as (frame, its nearest app frame or null, amount). */
class Tally {
  private readonly areas = new Map<string, number>();
  private readonly fns = new Map<string, number>();
  /** Per function, the amount under each app frame that called it ('' for none, or the function's own). */
  private readonly callers = new Map<string, Map<string, number>>();
  total = 0;

  add(frame: ProfileFrame, app: ProfileFrame | null, amount: number): void {
    if (amount <= 0) return;
    this.total += amount;
    add(this.areas, areaOf(app ?? frame), amount);
    const label = labelOf(frame);
    add(this.fns, label, amount);
    let callers = this.callers.get(label);
    if (callers === undefined) this.callers.set(label, (callers = new Map<string, number>()));
    add(callers, app === null || app === frame ? '' : labelOf(app), amount);
  }

  summary(idle: number, top: number): ProfileSummary {
    const functions = sorted(this.fns)
      .slice(0, top)
      .map((c) => ({ ...c, via: this.viaOf(c.label) }));
    return { total: this.total, idle, areas: sorted(this.areas), functions };
  }

  /** The app frame under which most of a function's amount was spent; null when that is none (or itself). */
  private viaOf(label: string): string | null {
    const [first] = sorted(this.callers.get(label) ?? new Map<string, number>());
    return first === undefined || first.label === '' ? null : first.label;
  }
}

export function summarizeCpuProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const tally = new Tally();
  let idle = 0;
  for (const [id, us] of selfTime) {
    const node = byId.get(id);
    if (node === undefined) continue;
    if (node.callFrame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    let app: ProfileFrame | null = null;
    for (let at: number | undefined = id; at !== undefined && app === null; at = parentOf.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame !== undefined && APP.test(frame.url)) app = frame;
    }
    tally.add(node.callFrame, app, us);
  }
  return tally.summary(idle, top);
}

export function summarizeHeapSampling(head: SamplingHeapNode, top = 25): ProfileSummary {
  const tally = new Tally();
  const walk = (node: SamplingHeapNode, app: ProfileFrame | null): void => {
    const nearest = APP.test(node.callFrame.url) ? node.callFrame : app;
    tally.add(node.callFrame, nearest, node.selfSize);
    for (const child of node.children) walk(child, nearest);
  };
  walk(head, null);
  return tally.summary(0, top);
}
