/**
 * A small OData $filter parser: enough of the grammar Graph clients actually send (comparisons,
 * and/or/not, parentheses, in, contains/startswith/endswith, any-lambdas over string collections).
 * It only builds a syntax tree; what is allowed on which property is decided in compile.ts.
 */
export type Literal =
  | { t: 'string'; v: string }
  | { t: 'number'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'null' }
  | { t: 'datetime'; v: string; ms: number };

export type CmpOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type FnName = 'contains' | 'startswith' | 'endswith';

export type FilterNode =
  | { k: 'and' | 'or'; l: FilterNode; r: FilterNode }
  | { k: 'not'; e: FilterNode }
  | { k: 'cmp'; op: CmpOp; path: string; lit: Literal }
  | { k: 'in'; path: string; lits: Literal[] }
  | { k: 'fn'; fn: FnName; path: string; lit: Literal }
  | { k: 'any'; path: string; variable: string; body: FilterNode };

type Token =
  | { t: 'ident'; v: string; pos: number }
  | { t: 'lit'; v: Literal; pos: number }
  | { t: 'punct'; v: '(' | ')' | ',' | ':' | '/'; pos: number };

export class FilterSyntaxError extends Error {}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/i;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_.]*/;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if ('(),:/'.includes(c)) {
      out.push({ t: 'punct', v: c as '(' | ')' | ',' | ':' | '/', pos: i });
      i++;
      continue;
    }
    if (c === "'") {
      // OData escapes a quote inside a string literal by doubling it.
      let v = '';
      let j = i + 1;
      for (;;) {
        if (j >= src.length) throw new FilterSyntaxError(`unterminated string literal at position ${i}`);
        if (src.charAt(j) === "'") {
          if (src.charAt(j + 1) === "'") {
            v += "'";
            j += 2;
            continue;
          }
          break;
        }
        v += src.charAt(j++);
      }
      out.push({ t: 'lit', v: { t: 'string', v }, pos: i });
      i = j + 1;
      continue;
    }
    const rest = src.slice(i);
    const dt = DATETIME.exec(rest);
    if (dt) {
      const ms = Date.parse(dt[0]);
      if (Number.isNaN(ms)) throw new FilterSyntaxError(`invalid date-time literal '${dt[0]}'`);
      out.push({ t: 'lit', v: { t: 'datetime', v: dt[0], ms }, pos: i });
      i += dt[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      out.push({ t: 'lit', v: { t: 'number', v: Number(num[0]) }, pos: i });
      i += num[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id) {
      const w = id[0];
      if (w === 'true' || w === 'false') out.push({ t: 'lit', v: { t: 'bool', v: w === 'true' }, pos: i });
      else if (w === 'null') out.push({ t: 'lit', v: { t: 'null' }, pos: i });
      else out.push({ t: 'ident', v: w, pos: i });
      i += w.length;
      continue;
    }
    throw new FilterSyntaxError(`unexpected character '${c}' at position ${i}`);
  }
  return out;
}

const CMP_OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FNS = new Set(['contains', 'startswith', 'endswith']);

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  parse(): FilterNode {
    const n = this.or();
    const extra = this.toks[this.i];
    if (extra) throw new FilterSyntaxError(`unexpected token at position ${extra.pos}`);
    return n;
  }

  private peekWord(): string | null {
    const t = this.toks[this.i];
    return t?.t === 'ident' ? t.v.toLowerCase() : null;
  }

  private punct(v: string): boolean {
    const t = this.toks[this.i];
    if (t?.t === 'punct' && t.v === v) {
      this.i++;
      return true;
    }
    return false;
  }

  private expect(v: string): void {
    if (!this.punct(v)) throw new FilterSyntaxError(`expected '${v}' at token ${this.i}`);
  }

  private or(): FilterNode {
    let l = this.and();
    while (this.peekWord() === 'or') {
      this.i++;
      l = { k: 'or', l, r: this.and() };
    }
    return l;
  }

  private and(): FilterNode {
    let l = this.unary();
    while (this.peekWord() === 'and') {
      this.i++;
      l = { k: 'and', l, r: this.unary() };
    }
    return l;
  }

  private unary(): FilterNode {
    if (this.peekWord() === 'not') {
      this.i++;
      return { k: 'not', e: this.unary() };
    }
    if (this.punct('(')) {
      const e = this.or();
      this.expect(')');
      return e;
    }
    const word = this.peekWord();
    const next = this.toks[this.i + 1];
    if (word && FNS.has(word) && next?.t === 'punct' && next.v === '(') {
      this.i += 2;
      const path = this.path();
      this.expect(',');
      const lit = this.literal();
      this.expect(')');
      return { k: 'fn', fn: word as FnName, path, lit };
    }
    const path = this.path();
    const lambda = /^(.*)\/(any|all)$/i.exec(path);
    if (lambda && this.punct('(')) {
      if ((lambda[2] ?? '').toLowerCase() !== 'any') throw new FilterSyntaxError('only any() lambdas are supported');
      const v = this.toks[this.i++];
      if (v?.t !== 'ident') throw new FilterSyntaxError('expected a lambda variable');
      this.expect(':');
      const body = this.or();
      this.expect(')');
      return { k: 'any', path: lambda[1] ?? '', variable: v.v, body };
    }
    const op = this.peekWord();
    if (op === 'in') {
      this.i++;
      this.expect('(');
      const lits = [this.literal()];
      while (this.punct(',')) lits.push(this.literal());
      this.expect(')');
      return { k: 'in', path, lits };
    }
    if (!op || !CMP_OPS.has(op)) throw new FilterSyntaxError(`expected a comparison operator after '${path}'`);
    this.i++;
    return { k: 'cmp', op: op as CmpOp, path, lit: this.literal() };
  }

  private path(): string {
    const t = this.toks[this.i++];
    if (t?.t !== 'ident') throw new FilterSyntaxError('expected a property name');
    let p = t.v;
    while (this.punct('/')) {
      const n = this.toks[this.i++];
      if (n?.t !== 'ident') throw new FilterSyntaxError('expected a property name after /');
      p += `/${n.v}`;
    }
    return p;
  }

  private literal(): Literal {
    const t = this.toks[this.i++];
    if (t?.t !== 'lit') throw new FilterSyntaxError('expected a literal value');
    return t.v;
  }
}

export function parseFilter(src: string): FilterNode {
  return new Parser(tokenize(src)).parse();
}
