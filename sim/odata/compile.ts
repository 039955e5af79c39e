/**
 * Turn a parsed $filter into a predicate for one resource, refusing what the real service refuses:
 * unknown properties, operators a property does not support, enum values that are not members,
 * quoted date-times. String comparisons are case-insensitive, as they are in both Intune and Entra.
 */
import { GraphError } from '../http/errors.js';
import { FilterSyntaxError, parseFilter, type FilterNode, type Literal } from './parse.js';

export type FieldType = 'string' | 'enum' | 'datetime' | 'bool' | 'stringCollection';
export type FilterOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'in' | 'contains' | 'startswith' | 'endswith' | 'any';

export interface FieldSpec {
  type: FieldType;
  ops: readonly FilterOp[];
  values?: readonly string[];
}

export interface FilterSpec {
  /** Entity type name as used in type-cast prefixes, e.g. `DeviceManagementAutopilotEvent`. */
  typeName: string;
  fields: Record<string, FieldSpec>;
  /** Error code for an unsupported clause: `BadRequest` (Intune) or `Request_UnsupportedQuery` (directory). */
  errorCode: string;
}

export type Predicate = (obj: Record<string, unknown>) => boolean;

export interface CompiledFilter {
  test: Predicate;
  /**
   * Indexed look-ups whose union holds every match (a superset: the predicate is still applied to each): a
   * top-level `field eq 'x'` / `field in (...)` on a string or enum field, or an `or` of such clauses.
   */
  hint: Hint | null;
}

export type Hint = readonly { readonly field: string; readonly values: readonly string[] }[];

type Ctx = { spec: FilterSpec; fail: (msg: string) => never };

export function compileFilter(src: string, spec: FilterSpec): CompiledFilter {
  const fail = (msg: string): never => {
    throw new GraphError(400, spec.errorCode, msg);
  };
  let ast: FilterNode;
  try {
    ast = parseFilter(src);
  } catch (e) {
    if (e instanceof FilterSyntaxError) throw new GraphError(400, 'BadRequest', `Invalid filter clause: ${e.message}.`);
    throw e;
  }
  const ctx: Ctx = { spec, fail };
  return { test: build(ast, ctx, null), hint: findHint(ast, ctx) };
}

/** Strip an optional `microsoft.graph.Type/` cast prefix, then resolve the property case-insensitively. */
function resolveField(path: string, ctx: Ctx): [string, FieldSpec] {
  let p = path;
  const cast = /^microsoft\.graph\.([A-Za-z0-9_]+)\/(.+)$/i.exec(path);
  if (cast) {
    if ((cast[1] ?? '').toLowerCase() !== ctx.spec.typeName.toLowerCase()) {
      ctx.fail(`Invalid filter clause: type cast '${cast[1]}' does not match '${ctx.spec.typeName}'.`);
    }
    p = cast[2] ?? '';
  }
  const name = Object.keys(ctx.spec.fields).find((f) => f.toLowerCase() === p.toLowerCase());
  const field = name ? ctx.spec.fields[name] : undefined;
  if (!name || !field)
    return ctx.fail(
      `Unsupported or invalid query filter clause specified for property '${p}' of resource '${ctx.spec.typeName}'.`,
    );
  return [name, field];
}

function requireOp(name: string, field: FieldSpec, op: FilterOp, ctx: Ctx): void {
  if (!field.ops.includes(op))
    ctx.fail(`Operator '${op}' is not supported for property '${name}' of resource '${ctx.spec.typeName}'.`);
}

/** Normalise a literal to a comparable value for the field's type. */
function literalValue(name: string, field: FieldSpec, lit: Literal, ctx: Ctx): string | number | boolean | null {
  if (lit.t === 'null') return null;
  switch (field.type) {
    case 'datetime':
      if (lit.t !== 'datetime')
        ctx.fail(`A date-time value is expected for property '${name}' (unquoted, e.g. 2024-05-01T00:00:00Z).`);
      return lit.t === 'datetime' ? lit.ms : null;
    case 'bool':
      if (lit.t !== 'bool') ctx.fail(`A boolean value is expected for property '${name}'.`);
      return lit.t === 'bool' ? lit.v : null;
    case 'enum': {
      if (lit.t !== 'string') return ctx.fail(`A quoted enum member is expected for property '${name}'.`);
      const member = field.values?.find((v) => v.toLowerCase() === lit.v.toLowerCase());
      if (!member) ctx.fail(`The string '${lit.v}' is not a valid enumeration type constant for property '${name}'.`);
      return member ? member.toLowerCase() : null;
    }
    default:
      if (lit.t !== 'string') return ctx.fail(`A quoted string is expected for property '${name}'.`);
      return lit.v.toLowerCase();
  }
}

/** Stored values are strings, numbers or booleans; anything else cannot match a literal. */
function fieldValue(field: FieldSpec, raw: unknown): string | number | boolean | null {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  if (field.type === 'datetime') {
    const ms = Date.parse(String(raw));
    return Number.isNaN(ms) ? null : ms;
  }
  return String(raw).toLowerCase();
}

function compare(op: string, a: string | number | boolean | null, b: string | number | boolean | null): boolean {
  if (op === 'eq') return a === b;
  if (op === 'ne') return a !== b;
  if (a === null || b === null) return false;
  switch (op) {
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    default:
      return a <= b;
  }
}

function stringFn(fn: string, hay: string, needle: string): boolean {
  if (fn === 'contains') return hay.includes(needle);
  if (fn === 'startswith') return hay.startsWith(needle);
  return hay.endsWith(needle);
}

/** `lambdaVar` is set inside an any() body, where the variable stands for one collection element. */
function build(n: FilterNode, ctx: Ctx, lambdaVar: string | null): Predicate {
  switch (n.k) {
    case 'and': {
      const l = build(n.l, ctx, lambdaVar);
      const r = build(n.r, ctx, lambdaVar);
      return (o) => l(o) && r(o);
    }
    case 'or': {
      const l = build(n.l, ctx, lambdaVar);
      const r = build(n.r, ctx, lambdaVar);
      return (o) => l(o) || r(o);
    }
    case 'not': {
      const e = build(n.e, ctx, lambdaVar);
      return (o) => !e(o);
    }
    case 'any': {
      const [name, field] = resolveField(n.path, ctx);
      requireOp(name, field, 'any', ctx);
      const body = build(n.body, ctx, n.variable);
      return (o) => {
        const arr = o[name];
        return Array.isArray(arr) && arr.some((el) => body({ $it: el }));
      };
    }
    default:
      return lambdaVar !== null ? buildElement(n, ctx, lambdaVar) : buildLeaf(n, ctx);
  }
}

function buildLeaf(n: Extract<FilterNode, { k: 'cmp' | 'in' | 'fn' }>, ctx: Ctx): Predicate {
  const [name, field] = resolveField(n.path, ctx);
  if (field.type === 'stringCollection') ctx.fail(`Property '${name}' is a collection; use ${name}/any(...).`);
  if (n.k === 'cmp') {
    requireOp(name, field, n.op, ctx);
    const want = literalValue(name, field, n.lit, ctx);
    return (o) => compare(n.op, fieldValue(field, o[name]), want);
  }
  if (n.k === 'in') {
    requireOp(name, field, 'in', ctx);
    const wants = new Set(n.lits.map((l) => literalValue(name, field, l, ctx)));
    return (o) => wants.has(fieldValue(field, o[name]));
  }
  requireOp(name, field, n.fn, ctx);
  if (n.lit.t !== 'string') ctx.fail(`${n.fn} needs a quoted string.`);
  const needle = n.lit.t === 'string' ? n.lit.v.toLowerCase() : '';
  return (o) => {
    const v = o[name];
    return typeof v === 'string' && stringFn(n.fn, v.toLowerCase(), needle);
  };
}

/** Inside any(p: ...): only `p eq 'x'` and `startswith(p,'x')`-style clauses on the element itself. */
function buildElement(n: Extract<FilterNode, { k: 'cmp' | 'in' | 'fn' }>, ctx: Ctx, variable: string): Predicate {
  if (n.path !== variable) ctx.fail(`Inside the lambda only the variable '${variable}' can be compared.`);
  if (n.k === 'cmp' && (n.op === 'eq' || n.op === 'ne') && n.lit.t === 'string') {
    const want = n.lit.v.toLowerCase();
    return (o) => compare(n.op, String(o['$it']).toLowerCase(), want);
  }
  if (n.k === 'fn' && n.lit.t === 'string') {
    const needle = n.lit.v.toLowerCase();
    return (o) => stringFn(n.fn, String(o['$it']).toLowerCase(), needle);
  }
  return ctx.fail('Unsupported lambda expression.');
}

function findHint(n: FilterNode, ctx: Ctx): Hint | null {
  if (n.k === 'and') return findHint(n.l, ctx) ?? findHint(n.r, ctx);
  if (n.k === 'or') {
    // Every match satisfies one side, so the union of both sides' look-ups holds them all.
    const l = findHint(n.l, ctx);
    const r = l === null ? null : findHint(n.r, ctx);
    return l !== null && r !== null ? [...l, ...r] : null;
  }
  // Equality is case-insensitive for strings and enum members alike, as the index keys are (lower-cased).
  const indexable = (type: FieldSpec['type']): boolean => type === 'string' || type === 'enum';
  if (n.k === 'cmp' && n.op === 'eq' && n.lit.t === 'string') {
    const [name, field] = resolveField(n.path, ctx);
    if (indexable(field.type)) return [{ field: name, values: [n.lit.v.toLowerCase()] }];
  }
  if (n.k === 'in' && n.lits.every((l) => l.t === 'string')) {
    const [name, field] = resolveField(n.path, ctx);
    if (indexable(field.type))
      return [{ field: name, values: n.lits.map((l) => (l.t === 'string' ? l.v.toLowerCase() : '')) }];
  }
  return null;
}
