// A GUID held as four 32-bit words instead of a 36-character string: 16 bytes in a typed array instead of a ~56-byte
// heap string, and no object of its own for the garbage collector to trace. The fleet tables keep every device's
// Entra and Intune ids this way (two to three ids a device, 100,000 devices and more in one sweep).

const HEX = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) HEX[48 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX[65 + c] = 10 + c;
  HEX[97 + c] = 10 + c;
}

/** Where the dashes of the 8-4-4-4-12 form are. */
const DASHES = [8, 13, 18, 23];

/** packGuid's answers: not a GUID; a GUID in lower case (what `normId` gives); a GUID with upper-case digits. */
export const NOT_GUID = 0;
export const LOWER_GUID = 1;
export const UPPER_GUID = 2;

/**
 * Writes the GUID's 32 hex digits (any case, the 8-4-4-4-12 form) to words[at]…words[at + 3]. Returns NOT_GUID, with
 * the words undefined, when `s` is not in that form: the caller keeps such an id as the string it is.
 */
export function packGuid(s: string, words: Uint32Array, at: number): number {
  if (s.length !== 36) return NOT_GUID;
  for (const d of DASHES) if (s.charCodeAt(d) !== 45) return NOT_GUID;
  let upper = false;
  let w = 0;
  let word = 0;
  let digits = 0;
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) continue;
    const c = s.charCodeAt(i);
    const v = c < 128 ? (HEX[c] as number) : -1;
    if (v < 0) return NOT_GUID;
    if (c < 97 && c > 64) upper = true;
    word = (word << 4) | v;
    if (++digits === 8) {
      words[at + w++] = word >>> 0;
      word = 0;
      digits = 0;
    }
  }
  return upper ? UPPER_GUID : LOWER_GUID;
}

const DIGIT = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];
/** Reused for every unpack: one flat string per call, no intermediate pieces (the sweep unpacks ~10⁶ ids). */
const codes: number[] = new Array<number>(36).fill(45);

/** The GUID at words[at], lower-case 8-4-4-4-12: what `normId` gives for the string it was packed from. */
export function unpackGuid(words: Uint32Array, at: number): string {
  let c = 0;
  for (let w = 0; w < 4; w++) {
    const word = words[at + w] as number;
    for (let shift = 28; shift >= 0; shift -= 4) {
      if (c === 8 || c === 13 || c === 18 || c === 23) c++; // the dashes stay in place
      codes[c++] = DIGIT[(word >>> shift) & 15] as number;
    }
  }
  return String.fromCharCode.apply(null, codes);
}

/** A hash of the packed GUID (Graph's ids are random, but a mix keeps a crafted id from colliding on purpose). */
export function hashWords(words: Uint32Array, at: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 4; i++) h = Math.imul(h ^ (words[at + i] as number), 0x01000193) ^ (h >>> 15);
  return h >>> 0;
}
