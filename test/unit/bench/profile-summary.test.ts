import { describe, expect, it } from 'vitest';

import {
  summarizeCpuProfile,
  summarizeHeapSampling,
  type CpuProfile,
  type ProfileFrame,
  type SamplingHeapNode,
} from '../../../bench/profile-summary.js';

// `npm run bench:profile` (issue 18: "show the profile that says where the time or memory goes") sums a V8 CPU
// profile or sampling heap profile by the nearest frame of the app's own code. Hand-made profiles in the inspector's
// format: a page read whose TextDecoder.decode (Node's code) must count for the Graph adapter that called it.

const frame = (functionName: string, url = '', lineNumber = 0): ProfileFrame => ({ functionName, url, lineNumber });
const ROOT = frame('(root)');
const READ_PAGE = frame('readPage', 'file:///app/dist/shared/adapters/graph/paging.js', 129);
const DECODE = frame('decode', 'node:internal/encoding', 439);
const PUSH = frame('push', 'file:///app/dist/shared/core/fleet/id-column.js', 20);

describe('summarizeCpuProfile', () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: ROOT, children: [2, 5, 6, 7] },
      { id: 2, callFrame: READ_PAGE, children: [3, 4] },
      { id: 3, callFrame: DECODE },
      { id: 4, callFrame: PUSH },
      { id: 5, callFrame: frame('(garbage collector)') },
      { id: 6, callFrame: frame('(idle)') },
      { id: 7, callFrame: frame('onSocket', 'node:internal/deps/undici/undici', 10) },
    ],
    // µs per sample: decode 3 × 1,000, readPage 1,000, push 500, the collector 2,000, idle 9,000, undici 400.
    samples: [3, 3, 3, 2, 4, 5, 6, 7],
    timeDeltas: [1000, 1000, 1000, 1000, 500, 2000, 9000, 400],
  };
  const s = summarizeCpuProfile(profile);

  it('counts Node work inside an app frame for that frame, and keeps idle time out of the total', () => {
    expect(s.total).toBe(3000 + 1000 + 500 + 2000 + 400);
    expect(s.idle).toBe(9000);
    expect(s.areas).toEqual([
      { label: 'Graph adapter: paging, decoding and parsing pages, HTTP', amount: 4000 },
      { label: 'garbage collection', amount: 2000 },
      { label: 'fleet tables', amount: 500 },
      { label: 'HTTP client (undici), outside any app frame', amount: 400 },
    ]);
  });

  it('lists functions by self time, naming the app frame that called a function of Node', () => {
    expect(s.functions.slice(0, 3)).toEqual([
      { label: 'decode node:internal/encoding:440', amount: 3000, via: 'readPage shared/adapters/graph/paging.js:130' },
      { label: '(garbage collector)', amount: 2000, via: null },
      { label: 'readPage shared/adapters/graph/paging.js:130', amount: 1000, via: null },
    ]);
  });
});

describe('summarizeHeapSampling', () => {
  const node = (callFrame: ProfileFrame, selfSize: number, children: SamplingHeapNode[] = []): SamplingHeapNode => ({
    callFrame,
    selfSize,
    children,
  });
  const COPY = frame('copyPlain', 'file:///app/dist/shared/adapters/inprocess/memory-table.js', 121);
  // `keys` is called under two app frames: it is listed under the one that spent most.
  const head = node(ROOT, 0, [
    node(READ_PAGE, 0, [node(DECODE, 8192), node(frame('keys'), 256)]),
    node(COPY, 4096, [node(frame('keys'), 1024)]),
    node(frame('(V8 API)'), 512),
  ]);
  const s = summarizeHeapSampling(head);

  it('sums allocated bytes by the nearest app frame, builtins included, naming the caller that spent most', () => {
    expect(s.total).toBe(4096 + 1024 + 8192 + 256 + 512);
    expect(s.areas).toEqual([
      { label: 'Graph adapter: paging, decoding and parsing pages, HTTP', amount: 8192 + 256 },
      { label: 'in-memory stores (the bench stand-in for Table Storage)', amount: 5120 },
      { label: 'V8 builtins and native code, outside any app frame', amount: 512 },
    ]);
    expect(s.functions.find((f) => f.label === 'keys')).toEqual({
      label: 'keys',
      amount: 1024 + 256,
      via: 'copyPlain shared/adapters/inprocess/memory-table.js:122',
    });
  });
});
