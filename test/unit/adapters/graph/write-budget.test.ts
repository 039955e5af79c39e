import { describe, expect, it } from 'vitest';
import { delayUntilSlot, SlidingWindowBudget } from '../../../../shared/adapters/graph/write-budget.js';

describe('delayUntilSlot', () => {
  const s = { max: 3, windowMs: 1000 };
  it('is 0 while the window has room', () => {
    expect(delayUntilSlot([], 0, s)).toBe(0);
    expect(delayUntilSlot([0, 10], 20, s)).toBe(0);
  });

  it('waits until the oldest write in the window leaves it', () => {
    expect(delayUntilSlot([0, 10, 20], 30, s)).toBe(970);
    expect(delayUntilSlot([20, 0, 10], 999, s)).toBe(1);
  });

  it('forgets writes that ended more than a window ago', () => {
    expect(delayUntilSlot([0, 10, 20], 1000, s)).toBe(0);
    expect(delayUntilSlot([0, 500, 990, 1000], 1200, s)).toBe(300);
  });

  it('waits for a release when every slot is still in flight', () => {
    expect(delayUntilSlot([Infinity, Infinity, Infinity], 5, s)).toBe(Infinity);
    expect(delayUntilSlot([100, Infinity, Infinity], 500, s)).toBe(600);
  });
});

function virtualBudget(max: number, windowMs: number) {
  let t = 0;
  const budget = new SlidingWindowBudget(
    { max, windowMs },
    () => t,
    (ms) => {
      t += ms;
      return Promise.resolve();
    },
  );
  return { budget, now: () => t, advance: (ms: number) => (t += ms) };
}

describe('SlidingWindowBudget', () => {
  it('delays (never drops) 30 writes under a 10 / 1 s budget to ≥ 2 s', async () => {
    const { budget, now } = virtualBudget(10, 1000);
    const sentAt: number[] = [];
    await Promise.all(
      Array.from({ length: 30 }, async () => {
        const release = await budget.acquire();
        sentAt.push(now());
        release();
      }),
    );
    expect(sentAt).toHaveLength(30);
    expect(now()).toBeGreaterThanOrEqual(2000);
    // No 1-second window ever holds more than 10 sends.
    for (const t of sentAt) expect(sentAt.filter((g) => g > t - 1000 && g <= t).length).toBeLessThanOrEqual(10);
  });

  it('holds a slot until windowMs after the response, not the send', async () => {
    const { budget, now, advance } = virtualBudget(1, 1000);
    const release = await budget.acquire();
    advance(300); // the request takes 300 ms
    release();
    await budget.acquire();
    expect(now()).toBe(1300);
  });

  it('waits for in-flight writes to finish when all slots are taken', async () => {
    const { budget, now, advance } = virtualBudget(2, 1000);
    const first = await budget.acquire(2);
    let granted = false;
    const next = budget.acquire().then(() => (granted = true));
    await Promise.resolve();
    expect(granted).toBe(false);
    advance(50);
    first();
    await next;
    expect(now()).toBe(1050);
  });

  it('counts units individually and refuses more units than the budget', async () => {
    const { budget, now } = virtualBudget(10, 1000);
    (await budget.acquire(10))();
    (await budget.acquire(1))();
    expect(now()).toBe(1000);
    await expect(budget.acquire(11)).rejects.toThrow(RangeError);
  });

  it('rejects a nonsensical budget', () => {
    expect(() => new SlidingWindowBudget({ max: 0, windowMs: 1000 }, Date.now, () => Promise.resolve())).toThrow(
      RangeError,
    );
  });
});
