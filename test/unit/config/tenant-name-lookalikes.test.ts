// Alerts, cards and the overview name a tenant by its display name, so two tenants whose names a reader cannot tell
// apart are refused at start (tenants.ts nameKey). Before, a name with an invisible character inside (a zero-width
// space, joiner or non-joiner, a word joiner, a soft hyphen, a byte-order mark) passed for another tenant's.
import { describe, expect, it } from 'vitest';

import { loadDeployment } from '../../../shared/config/index.js';
import { CONTROL_CHARS } from '../../../shared/core/tenant-text.js';
import { problemsOf as configProblems } from './problems.js';

const A = '0a0a0a0a-1111-4111-8111-00000000000a';
const B = '0b0b0b0b-2222-4222-8222-00000000000b';
const base = {
  GRAPH_AUTH: 'client-secret',
  AZURE_CLIENT_ID: '11111111-1111-4111-8111-111111111111',
  AZURE_CLIENT_SECRET: 'app-secret-value',
};

const problemsOf = (tenants: readonly { id: string; name: string }[]) =>
  configProblems(() => loadDeployment({ ...base, TENANTS: JSON.stringify(tenants) }));

const SAME_NAME = { key: 'TENANTS[1].name', message: 'the same name as TENANTS[0] (names must tell tenants apart)' };

describe('tenant names that look like another tenant’s', () => {
  it.each([
    ['a zero-width space', 'Con\u200btoso'],
    ['a zero-width non-joiner', 'Con\u200ctoso'],
    ['a zero-width joiner', 'Con\u200dtoso'],
    ['a word joiner', 'Con\u2060toso'],
    ['a byte-order mark inside', 'Con\ufefftoso'],
    ['a soft hyphen', 'Con\u00adtoso'],
    ['a trailing Mongolian vowel separator', 'Contoso\u180e'],
    ['full width and a zero-width space', 'ＣＯＮ\u200bＴＯＳＯ'],
  ])('%s: refused as the same name', (_name, lookalike) => {
    expect(
      problemsOf([
        { id: A, name: 'Contoso' },
        { id: B, name: lookalike },
      ]),
    ).toEqual([SAME_NAME]);
  });

  it('names that read differently stay distinct', () => {
    const names = ['Contoso', 'Contoso 2', 'Contóso', 'Con toso'];
    const tenants = names.map((name, i) => ({ id: `0a0a0a0a-1111-4111-8111-00000000000${i}`, name }));
    expect(loadDeployment({ ...base, TENANTS: JSON.stringify(tenants) }).tenants.map((t) => t.name)).toEqual(names);
  });
});

describe('hostile tenant names', () => {
  it.each([
    ['a TAB', 'Contoso\tEU'],
    ['a newline', 'Contoso\nApprove here'],
    ['a Markdown link', '[Contoso](https://evil.example)'],
    ['HTML', '<img src=x onerror=alert(1)>'],
    ['600 characters', 'C'.repeat(600)],
  ])('%s: refused by position with a fixed message that does not quote it; the other entries are not', (_n, name) => {
    const problems = problemsOf([
      { id: A, name: 'Contoso' },
      { id: B, name },
    ]);
    expect(problems.map((p) => p.key)).toEqual(['TENANTS[1].name']);
    for (const p of problems) {
      expect(p.message).not.toContain(name.slice(0, 10));
      expect(p.message).not.toMatch(CONTROL_CHARS);
      expect(p.message.length).toBeLessThan(200);
    }
  });
});
