import { Chunks } from './chunks.js';

// A nullable epoch-millisecond column: 8 bytes a row in Float64Array chunks (NaN = null), where each timestamp held
// in an object is a 16-byte heap number of its own.

export class TimeColumn {
  private readonly values = new Chunks((n) => new Float64Array(n));
  private length = 0;

  push(value: number | null): void {
    const row = this.length++;
    this.values.of(row)[this.values.offset(row)] = value ?? NaN;
  }

  get(row: number): number | null {
    const v = this.values.at(row)[this.values.offset(row)] as number;
    return Number.isNaN(v) ? null : v;
  }
}

/** A column of booleans (flags such as autopilotEnrolled), a byte a row. */
export class FlagColumn {
  private readonly values = new Chunks((n) => new Uint8Array(n));
  private length = 0;

  push(value: boolean): void {
    const row = this.length++;
    this.values.of(row)[this.values.offset(row)] = value ? 1 : 0;
  }

  get(row: number): boolean {
    return this.values.at(row)[this.values.offset(row)] === 1;
  }
}
