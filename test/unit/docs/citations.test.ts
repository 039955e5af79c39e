import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { buildWebhookEvent, findingOpenedAlert } from '../../../shared/core/alerts/index.js';
import { CATALOG, LEARN, catalogEntry } from '../../../shared/core/catalog/catalog.js';
import { ctx, deviceFinding } from '../core/alerts/fixtures.js';

// Issue 16.5: code, tests and docs cite Microsoft's public documentation (page title, section, learn.microsoft.com
// address), never notes that live outside this repository, which a newcomer cannot open.

const ROOT = resolve(import.meta.dirname, '../../..');
const DIRS = ['shared', 'functions', 'cli', 'sim', 'infra', 'bench', 'test', 'docs', '.ci'];
const FILES = ['README.md', 'package.json', 'azure.yaml', 'host.json'];
const TEXT = /\.(ts|mts|mjs|js|md|bicep|json|ya?ml|sh|ps1)$|^run$/;

// Built from pieces so this file does not match itself.
const FORBIDDEN: readonly [string, RegExp][] = [
  ['a line of a seed document', new RegExp(['seed', String.raw`\d{3}`].join(' '))],
  ['the seeds folder', new RegExp(['seeds', ''].join('/'))],
  ['the domain notes', new RegExp(['autopilot', 'reference'].join('-') + '|' + ['graph', 'and', 'platform'].join('-'))],
  ['the architecture notes', new RegExp(['ARCHI', 'TECTURE'].join(''))],
  ['a section sign outside an RFC', new RegExp(String.raw`(?<!RFC \d{3,5} )` + '\u00a7' + String.raw`\d`)],
  ['a folder next to the repository', new RegExp(String.raw`\.\./shared/(domain|seeds|graph|style)`)],
  ['an absolute path of this machine', new RegExp(['', 'work', ''].join('/'))],
];

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.git')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (TEXT.test(name)) yield path;
  }
}

function sources(): string[] {
  const files = DIRS.flatMap((d) => [...walk(join(ROOT, d))]);
  return [...files, ...FILES.map((f) => join(ROOT, f))].filter((f) => statSync(f, { throwIfNoEntry: false }));
}

describe('citations a newcomer can follow', () => {
  it('no file cites notes outside the repository', () => {
    const hits: string[] = [];
    for (const file of sources()) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const [what, re] of FORBIDDEN)
            if (re.test(line))
              hits.push(`${relative(ROOT, file)}:${i + 1} cites ${what}: ${line.trim().slice(0, 100)}`);
        });
    }
    expect(hits).toEqual([]);
  });

  it('every documentation page is a distinct learn.microsoft.com address without a locale', () => {
    const pages = Object.values(LEARN);
    for (const p of pages) {
      expect(p.url).toMatch(/^https:\/\/learn\.microsoft\.com\/(autopilot|intune|graph)\//);
      expect(p.url).not.toMatch(/\/[a-z]{2}-[a-z]{2}\//);
    }
    expect(new Set(pages.map((p) => p.url)).size).toBe(pages.length);
    expect(new Set(pages.map((p) => p.title)).size).toBe(pages.length);
  });

  it('every page is cited by some catalog entry (no dead entries in the list)', () => {
    const cited = new Set(CATALOG.flatMap((e) => e.docs.map((c) => c.page.url)));
    expect(Object.values(LEARN).filter((p) => !cited.has(p.url))).toEqual([]);
  });

  it("a webhook item carries the catalog's public pages and no internal reference string", () => {
    const event = buildWebhookEvent(findingOpenedAlert(ctx({ catalog: catalogEntry }), deviceFinding(1)));
    const item = event.data.items[0]!;
    expect(item.docs.length).toBeGreaterThan(0);
    expect(item.docs).toEqual(
      catalogEntry('AP_USERLESS_BLOCKED')!.docs.map((c) => ({
        title: c.page.title,
        section: c.section,
        url: c.page.url,
      })),
    );
    expect(Object.keys(item)).not.toContain('reference');
  });
});
