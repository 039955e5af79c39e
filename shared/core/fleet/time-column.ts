// A nullable epoch-millisecond column: 8 bytes a row in a Float64Array (NaN = null), where each timestamp held in an
// object is a 16-byte heap number of its own.

export class TimeColumn {
  private values = new Float64Array(16);
  private length = 0;

  push(value: number | null): void {
    const row = this.length++;
    if (this.values.length < this.length) {
      const values = new Float64Array(this.values.length * 2);
      values.set(this.values);
      this.values = values;
    }
    this.values[row] = value ?? NaN;
  }

  get(row: number): number | null {
    const v = this.values[row] as number;
    return Number.isNaN(v) ? null : v;
  }
}

/** A growable column of bits (flags such as autopilotEnrolled). */
export class FlagColumn {
  private bits = new Uint8Array(16);
  private length = 0;

  push(value: boolean): void {
    const row = this.length++;
    if (this.bits.length * 8 < this.length) {
      const bits = new Uint8Array(this.bits.length * 2);
      bits.set(this.bits);
      this.bits = bits;
    }
    if (value) this.bits[row >> 3] = (this.bits[row >> 3] as number) | (1 << (row & 7));
  }

  get(row: number): boolean {
    return (((this.bits[row >> 3] as number) >> (row & 7)) & 1) === 1;
  }
}
