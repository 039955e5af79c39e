import { describe, expect, it } from 'vitest';

import { fleetSource, type Loaded } from '../../../shared/composition/fleet-source.js';
import type { Fleet } from '../../../shared/composition/fleet.js';
import type { Deployment } from '../../../shared/config/index.js';

// The host's fleet: read once from TENANTS; from the tenants table, read again at most every refreshMs, rebuilt only
// when the rows changed, the old fleet disposed later, and a failed re-read keeps serving the fleet that worked.

function fakeFleet(name: string, disposed: string[]): Fleet {
  return { name, dispose: () => Promise.resolve(void disposed.push(name)) } as unknown as Fleet;
}

function setup(stamps: (string | null | Error)[]) {
  let t = 0;
  let loads = 0;
  const built: string[] = [];
  const disposed: string[] = [];
  const retired: (() => void)[] = [];
  const get = fleetSource({
    load: () => {
      const next = stamps[Math.min(loads, stamps.length - 1)];
      loads += 1;
      if (next instanceof Error) return Promise.reject(next);
      return Promise.resolve({ deployment: { stamp: next } as unknown as Deployment, stamp: next ?? null } as Loaded);
    },
    build: (d) => {
      const name = `fleet-${built.length + 1}`;
      built.push(String((d as unknown as { stamp: string | null }).stamp));
      return Promise.resolve(fakeFleet(name, disposed));
    },
    now: () => t,
    refreshMs: 1000,
    retire: (dispose) => void retired.push(dispose),
  });
  return {
    get,
    built,
    disposed,
    retired,
    loads: () => loads,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

const nameOf = async (f: Promise<Fleet>) => ((await f) as unknown as { name: string }).name;

describe('fleetSource', () => {
  it('TENANTS (no stamp): read once, whatever the time', async () => {
    const s = setup([null]);
    expect(await nameOf(s.get())).toBe('fleet-1');
    s.advance(10_000_000);
    expect(await nameOf(s.get())).toBe('fleet-1');
    expect(s.loads()).toBe(1);
  });

  it('the tenants table: re-read after refreshMs, rebuilt only when the rows changed, the old one retired', async () => {
    const s = setup(['rows-1', 'rows-1', 'rows-2']);
    expect(await nameOf(s.get())).toBe('fleet-1');
    s.advance(500);
    expect(await nameOf(s.get())).toBe('fleet-1');
    expect(s.loads()).toBe(1);
    s.advance(600);
    expect(await nameOf(s.get())).toBe('fleet-1'); // same rows: same fleet
    expect(s.loads()).toBe(2);
    s.advance(1100);
    expect(await nameOf(s.get())).toBe('fleet-2');
    expect(s.built).toEqual(['rows-1', 'rows-2']);
    expect(s.disposed).toEqual([]); // not while invocations may still hold it…
    for (const r of s.retired) r();
    await new Promise((resolve) => setImmediate(resolve));
    expect(s.disposed).toEqual(['fleet-1']); // …but later
  });

  it('a failed re-read keeps the fleet that worked; a failed first read is tried again', async () => {
    const s = setup(['rows-1', new Error('table unreachable')]);
    expect(await nameOf(s.get())).toBe('fleet-1');
    s.advance(2000);
    expect(await nameOf(s.get())).toBe('fleet-1');
    const failing = setup([new Error('no storage'), 'rows-1']);
    await expect(failing.get()).rejects.toThrow('no storage');
    expect(await nameOf(failing.get())).toBe('fleet-1');
  });
});
