// Fleet columns grow in fixed chunks of rows instead of doubling one array: a doubling array keeps up to twice the
// rows it holds, and each growth leaves the old array as garbage outside the JavaScript heap (typed arrays' memory
// counts in the process's RSS until a collection frees it). Chunks are never copied and waste at most one chunk.

export const CHUNK_BITS = 12;
/** Rows per chunk. */
export const CHUNK_ROWS = 1 << CHUNK_BITS;
export const ROW_MASK = CHUNK_ROWS - 1;

/** Chunks of a typed array type, `width` elements a row, allocated as rows arrive. */
export class Chunks<A extends Uint8Array | Uint16Array | Uint32Array | Float64Array> {
  private readonly chunks: A[] = [];

  constructor(
    private readonly make: (elements: number) => A,
    private readonly width = 1,
  ) {}

  /** The chunk holding `row`, allocated if it is the next one. */
  of(row: number): A {
    const c = row >>> CHUNK_BITS;
    let chunk = this.chunks[c];
    if (chunk === undefined) {
      chunk = this.make(CHUNK_ROWS * this.width);
      this.chunks.push(chunk);
    }
    return chunk;
  }

  /** The chunk holding `row`, which must exist. */
  at(row: number): A {
    return this.chunks[row >>> CHUNK_BITS] as A;
  }

  /** The same rows in chunks of another type (a wider code, for one): each chunk copied over, element by element. */
  convert<B extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(make: (elements: number) => B): Chunks<B> {
    const out = new Chunks(make, this.width);
    for (const chunk of this.chunks) {
      const copy = make(chunk.length);
      copy.set(chunk);
      out.chunks.push(copy);
    }
    return out;
  }

  /** Where `row` starts in its chunk. */
  offset(row: number): number {
    return (row & ROW_MASK) * this.width;
  }
}
