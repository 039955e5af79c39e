/**
 * One list implementation for every collection endpoint: filter, page, select, render, nextLink.
 * The cursor in the skiptoken is the position of the next matching item in the list's own order,
 * so paging over 100,000 generated devices scans each item once per complete walk.
 */
import type { GraphRequest, GraphResponse } from '../http/context.js';
import { GraphError } from '../http/errors.js';
import { render, type ResourceKind } from '../model/resources.js';
import type { Collection } from '../tenant/collection.js';
import type { FilterSpec, Hint } from './compile.js';
import {
  checkOptions,
  contextUrl,
  decodeToken,
  encodeToken,
  listLink,
  param,
  parseFilterParam,
  parseSelect,
  parseSelectUnion,
  parseTop,
  type ListLimits,
} from './query.js';

export interface ListArgs<T> {
  req: GraphRequest;
  kind: ResourceKind;
  /** Entity-set path used in @odata.context, e.g. `deviceManagement/windowsAutopilotDeviceIdentities`. */
  entitySet: string;
  limits: ListLimits;
  spec: FilterSpec | null;
  /** A Collection (index order) or a plain array (position order). */
  source: Collection<T & { id: string }> | readonly T[];
  /** Include @odata.type on each item (Intune does; homogeneous directory lists do not). */
  withType: boolean;
  /** Custom rendering, e.g. for heterogeneous directoryObject lists. */
  renderItem?: (item: T, select: string[] | null) => Record<string, unknown>;
  extraOptions?: readonly string[];
  /** Validate $select against several types (directoryObject lists hold devices, users, ...). */
  selectFrom?: readonly ResourceKind[];
  /** The object as this version shows it, for $filter (e.g. v1.0 reports `blocked` as `unknown`). */
  view?: (item: T) => Record<string, unknown>;
}

function* walk<T>(source: ListArgs<T>['source'], hint: Hint | null, cursor: number): Generator<[number, T]> {
  if (Array.isArray(source)) {
    const arr = source as readonly T[];
    for (let i = cursor; i < arr.length; i++) yield [i, arr[i] as T];
    return;
  }
  const coll = source as Collection<T & { id: string }>;
  if (hint) {
    const indexes =
      hint.length === 1 && hint[0]
        ? coll.candidates(hint[0].field, hint[0].values)
        : [...new Set(hint.flatMap((h) => coll.candidates(h.field, h.values)))].sort((a, b) => a - b);
    for (const i of indexes) {
      if (i < cursor) continue;
      const item = coll.at(i);
      if (item) yield [i, item];
    }
    return;
  }
  yield* coll.entries(cursor);
}

export function listResponse<T>(a: ListArgs<T>): GraphResponse {
  const { req } = a;
  checkOptions(req, a.extraOptions);
  const select = a.selectFrom ? parseSelectUnion(req, a.selectFrom) : parseSelect(req, a.kind);
  const top = parseTop(req, a.limits);
  const filter = a.spec ? parseFilterParam(req, a.spec) : null;
  if (!a.spec && param(req, '$filter') !== null) {
    throw new GraphError(400, 'BadRequest', `$filter is not supported on ${a.entitySet}.`);
  }
  const cursor = decodeToken(req);
  const view = a.view ?? ((item: T) => item as Record<string, unknown>);
  const test = filter ? (item: T) => filter.test(view(item)) : () => true;
  // The indexes hold stored values; a version's view (v1.0 shows `blocked` as `unknown`) may differ, so none then.
  const hint = a.view ? null : (filter?.hint ?? null);

  // The count costs a walk of the whole filtered collection, so it is computed for the first page only: the
  // app reads it there (page-bounds.ts) and a 100,000-device read would otherwise walk the fleet once per page.
  // That first page and its count come from one walk, not two.
  const counting = cursor === 0 && (param(req, '$count') ?? '').toLowerCase() === 'true';
  const page: T[] = [];
  let next: number | null = null;
  let count = 0;
  for (const [i, item] of walk(a.source, hint, cursor)) {
    if (!test(item)) continue;
    count++;
    if (page.length < top) page.push(item);
    else if (next === null) {
      next = i;
      if (!counting) break;
    }
  }

  const draw =
    a.renderItem ?? ((item: T, sel: string[] | null) => render(a.kind, item as object, req.version, sel, a.withType));
  const body: Record<string, unknown> = { '@odata.context': contextUrl(req, a.entitySet, select) };
  if (counting) body['@odata.count'] = count;
  if (next !== null) body['@odata.nextLink'] = listLink(req, encodeToken(req, next));
  body['value'] = page.map((item) => draw(item, select));
  return {
    status: 200,
    body,
    paging: { start: encodeToken(req, cursor), link: (token) => listLink(req, token) },
  };
}

/** A single entity: validates $select and renders with an `$entity` context. */
export function entityResponse(
  req: GraphRequest,
  kind: ResourceKind,
  entitySet: string,
  obj: object,
  withType: boolean,
): GraphResponse {
  checkOptions(req, [], true);
  const select = parseSelect(req, kind);
  return {
    status: 200,
    body: {
      '@odata.context': contextUrl(req, entitySet, select, true),
      ...render(kind, obj, req.version, select, withType),
    },
  };
}
