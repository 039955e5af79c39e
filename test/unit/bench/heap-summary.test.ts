import { describe, expect, it } from 'vitest';

import { summarizeHeap, type HeapSnapshotFile } from '../../../bench/heap-summary.js';

// The heap profile of issue 18 sums a V8 heap snapshot by kind and by the field that first retains each object. A
// hand-made snapshot in V8's own format (flat node and edge arrays, described by `meta`): two device records in an
// array share one serial-number string, and one record reaches its deviceId string only through a weak edge.

const NODE_TYPES = [
  'hidden',
  'array',
  'string',
  'object',
  'code',
  'closure',
  'regexp',
  'number',
  'native',
  'synthetic',
];
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];
const T = (t: string): number => NODE_TYPES.indexOf(t);
const E = (t: string): number => EDGE_TYPES.indexOf(t);

function snapshot(): HeapSnapshotFile {
  const strings = ['', 'fleet', 'Array', 'Object', 'SN1', 'abc', 'serialNumber', 'deviceId', '(root)'];
  const S = (s: string): number => strings.indexOf(s);
  const NF = 5; // type, name, id, self_size, edge_count
  // prettier-ignore
  const nodes = [
    T('synthetic'), S('(root)'), 1, 0, 1,
    T('object'), S('Array'), 2, 32, 2,
    T('object'), S('Object'), 3, 56, 2,
    T('object'), S('Object'), 4, 56, 2,
    T('string'), S('SN1'), 5, 20, 0,
    T('string'), S('abc'), 6, 24, 0,
  ];
  // prettier-ignore
  const edges = [
    E('property'), S('fleet'), 1 * NF,
    E('element'), 0, 2 * NF,
    E('element'), 1, 3 * NF,
    E('property'), S('serialNumber'), 4 * NF,
    E('weak'), S('deviceId'), 5 * NF,
    E('property'), S('serialNumber'), 4 * NF,
    E('property'), S('deviceId'), 5 * NF,
  ];
  return {
    snapshot: {
      meta: {
        node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
        node_types: [NODE_TYPES],
        edge_fields: ['type', 'name_or_index', 'to_node'],
        edge_types: [EDGE_TYPES],
      },
    },
    nodes,
    edges,
    strings,
  };
}

describe('summarizeHeap', () => {
  const s = summarizeHeap(snapshot());
  const row = (kind: string, via: string) => s.rows.find((r) => r.kind === kind && r.via === via);

  it('counts every node once, under its kind', () => {
    expect(s.nodes).toBe(6);
    expect(s.totalBytes).toBe(188);
    expect(s.kinds.find((k) => k.kind === 'Object')).toEqual({ kind: 'Object', count: 2, bytes: 112 });
    expect(s.kinds.find((k) => k.kind === 'string')).toEqual({ kind: 'string', count: 2, bytes: 44 });
  });

  it('names the first retaining field; a shared string counts once; weak edges do not retain', () => {
    expect(row('Array', 'fleet')).toMatchObject({ count: 1, bytes: 32 });
    expect(row('Object', '<element>')).toMatchObject({ count: 2, bytes: 112 });
    expect(row('string', 'serialNumber')).toMatchObject({ count: 1, bytes: 20 });
    expect(row('string', 'deviceId')).toMatchObject({ count: 1, bytes: 24 });
  });

  it('lists rows and kinds largest first', () => {
    expect(s.rows[0]).toMatchObject({ kind: 'Object', via: '<element>' });
    expect(s.kinds[0]?.kind).toBe('Object');
  });
});
