// What a V8 heap snapshot (.heapsnapshot, as v8.writeHeapSnapshot writes it) holds, summed by kind of object and by
// the field that first retains it: "string via azureAdDeviceId" is every string first reached through a field of that
// name, whichever record holds it. That is the question a fleet-sized heap raises (which record fields, which indexes),
// and the snapshot's own format answers it without a dominator tree: each node's self size counts once, under its
// first non-weak retaining edge.

export interface HeapSnapshotFile {
  readonly snapshot: {
    readonly meta: {
      readonly node_fields: readonly string[];
      readonly node_types: readonly [readonly string[], ...unknown[]];
      readonly edge_fields: readonly string[];
      readonly edge_types: readonly [readonly string[], ...unknown[]];
    };
  };
  readonly nodes: readonly number[];
  readonly edges: readonly number[];
  readonly strings: readonly string[];
}

export interface HeapRow {
  /** `string`, `number`, `array`, `Object`, `Map` … (objects by constructor name). */
  readonly kind: string;
  /** The first retaining edge's property name, or `<element>`, `<internal>`, `<hidden>` … for unnamed edges. */
  readonly via: string;
  readonly count: number;
  readonly bytes: number;
}

export interface HeapSummary {
  readonly totalBytes: number;
  readonly nodes: number;
  /** Largest first. */
  readonly rows: readonly HeapRow[];
  /** Per kind, largest first. */
  readonly kinds: readonly { readonly kind: string; readonly count: number; readonly bytes: number }[];
}

function kindOf(type: string, name: string): string {
  if (type.includes('string')) return 'string';
  if (type === 'object') return name.length > 40 ? `${name.slice(0, 40)}…` : name;
  return type;
}

export function summarizeHeap(file: HeapSnapshotFile): HeapSummary {
  const meta = file.snapshot.meta;
  const NF = meta.node_fields.length;
  const EF = meta.edge_fields.length;
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const iType = meta.node_fields.indexOf('type');
  const iName = meta.node_fields.indexOf('name');
  const iSize = meta.node_fields.indexOf('self_size');
  const iEdges = meta.node_fields.indexOf('edge_count');
  const eType = meta.edge_fields.indexOf('type');
  const eName = meta.edge_fields.indexOf('name_or_index');
  const eTo = meta.edge_fields.indexOf('to_node');
  const { nodes, edges, strings } = file;
  const count = nodes.length / NF;

  const via: (string | undefined)[] = new Array<string | undefined>(count);
  let e = 0;
  for (let n = 0; n < count; n++) {
    const edgeCount = nodes[n * NF + iEdges] ?? 0;
    for (let k = 0; k < edgeCount; k++, e += EF) {
      const type = edgeTypes[edges[e + eType] ?? 0] ?? '';
      if (type === 'weak') continue;
      const to = (edges[e + eTo] ?? 0) / NF;
      if (via[to] !== undefined) continue;
      via[to] = type === 'property' ? (strings[edges[e + eName] ?? 0] ?? '') : `<${type}>`;
    }
  }

  const rows = new Map<string, { kind: string; via: string; count: number; bytes: number }>();
  const kinds = new Map<string, { kind: string; count: number; bytes: number }>();
  let totalBytes = 0;
  for (let n = 0; n < count; n++) {
    const type = nodeTypes[nodes[n * NF + iType] ?? 0] ?? '';
    const kind = kindOf(type, strings[nodes[n * NF + iName] ?? 0] ?? '');
    const bytes = nodes[n * NF + iSize] ?? 0;
    const v = via[n] ?? '<root>';
    const key = `${kind}\u0000${v}`;
    const row = rows.get(key) ?? { kind, via: v, count: 0, bytes: 0 };
    row.count++;
    row.bytes += bytes;
    rows.set(key, row);
    const k = kinds.get(kind) ?? { kind, count: 0, bytes: 0 };
    k.count++;
    k.bytes += bytes;
    kinds.set(kind, k);
    totalBytes += bytes;
  }
  const bySize = <T extends { bytes: number }>(a: T, b: T): number => b.bytes - a.bytes;
  return { totalBytes, nodes: count, rows: [...rows.values()].sort(bySize), kinds: [...kinds.values()].sort(bySize) };
}
