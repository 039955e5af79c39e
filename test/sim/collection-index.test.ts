/** Field indexes built while a collection is walked in pages must answer exactly what a scan answers. */
import { expect, test } from 'vitest';
import { Collection } from '../../sim/tenant/collection.js';

type Item = { id: string; state: string; other: string };

const generated = (n: number) => ({
  count: n,
  at: (i: number): Item | undefined =>
    i % 97 === 13
      ? undefined
      : { id: `g-${i}`, state: ['Enrolled', 'blocked', 'notContacted'][i % 3] ?? '', other: `o${i % 5}` },
});

const scan = (c: Collection<Item>, field: 'state' | 'other', values: string[]): number[] =>
  [...c.entries()].filter(([, item]) => values.includes(item[field].toLowerCase())).map(([i]) => i);

/** Walk a page as the list endpoint does: from a cursor, stopping after `size` items. */
function page(c: Collection<Item>, from: number, size: number): number {
  let n = 0;
  for (const [i] of c.entries(from)) if (++n > size) return i;
  return c.size();
}

test('an index built page by page, with changes in between, matches a scan', () => {
  const c = new Collection<Item>([{ id: 'x-0', state: 'BLOCKED', other: 'o1' }], generated(2_000));
  c.indexWhileWalking(['state']);
  c.patch('g-1500', { state: 'blocked' }); // ahead of the walk
  let cursor = page(c, 0, 300);
  c.patch('g-10', { state: 'notContacted' }); // behind it
  c.add({ id: 'extra-1', state: 'blocked', other: 'o2' });
  cursor = page(c, cursor, 300);
  c.remove('g-700'); // ahead, then walked over
  cursor = page(c, cursor, 300);
  expect(c.candidates('state', ['blocked'])).toEqual(scan(c, 'state', ['blocked'])); // completes the rest
  c.patch('g-1600', { state: 'Enrolled' });
  c.add({ id: 'extra-2', state: 'blocked', other: 'o3' });
  expect(c.candidates('state', ['blocked'])).toEqual(scan(c, 'state', ['blocked']));
  expect(c.candidates('state', ['enrolled', 'notcontacted'])).toEqual(scan(c, 'state', ['enrolled', 'notcontacted']));
  // A field indexed later catches up over what was walked, then walks with the others.
  c.indexWhileWalking(['other']);
  expect(c.candidates('other', ['o2'])).toEqual(scan(c, 'other', ['o2']));
  expect(cursor).toBeGreaterThan(0);
});

test('ids: idOf answers the stored spelling and `id` candidates match a scan, computing no generated item', () => {
  let computed = 0;
  const source = generated(1_000);
  const counting = {
    count: source.count,
    at: (i: number): Item | undefined => {
      computed++;
      return source.at(i);
    },
  };
  const c = new Collection<Item>([{ id: 'X-Upper', state: 'blocked', other: 'o1' }], counting);
  expect(c.idOf('x-upper')).toBe('X-Upper');
  expect(c.idOf('G-5')).toBe('g-5');
  expect(c.idOf('g-13')).toBeUndefined(); // a hole in the generated range
  expect(c.idOf('nope')).toBeUndefined();
  const ids = ['G-5', 'x-UPPER', 'g-999', 'g-13', 'missing', 'g-5'];
  const byScan = [...c.entries()]
    .filter(([, item]) => ids.map((v) => v.toLowerCase()).includes(item.id.toLowerCase()))
    .map(([i]) => i);
  computed = 0;
  expect(
    c.candidates(
      'id',
      ids.map((v) => v.toLowerCase()),
    ),
  ).toEqual(byScan);
  expect(c.idOf('g-999')).toBe('g-999');
  expect(computed).toBe(0); // the id map, built once, answers both
  // Changes keep both up to date.
  c.add({ id: 'Extra-A', state: 'blocked', other: 'o2' });
  expect(c.idOf('extra-a')).toBe('Extra-A');
  c.remove('X-Upper');
  expect(c.idOf('x-upper')).toBeUndefined();
  expect(c.candidates('id', ['x-upper', 'extra-a'])).toEqual([c.indexOf('extra-a')]);
});
