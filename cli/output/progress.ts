import type { ReadProgress } from '../../shared/ports/index.js';

/** One self-overwriting status line on a TTY (stderr); silent otherwise, so pipes and --json stay clean. */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): {
  onProgress?: (p: ReadProgress) => void;
  done(): void;
} {
  if (!stream.isTTY) return { done: () => undefined };
  const started = Date.now();
  const byCollection = new Map<string, ReadProgress>();
  let lastDraw = 0;
  return {
    onProgress: (p) => {
      byCollection.set(p.collection, p);
      const now = Date.now();
      if (now - lastDraw < 100) return; // redraw at most 10×/s
      lastDraw = now;
      const items = [...byCollection.values()].reduce((n, x) => n + x.items, 0);
      const pages = [...byCollection.values()].reduce((n, x) => n + x.pages, 0);
      stream.write(
        `\r\u001b[2KReading Graph: ${items} objects, ${pages} pages, ${((now - started) / 1000).toFixed(1)} s`,
      );
    },
    done: () => stream.write('\r\u001b[2K'),
  };
}
