// The review page is built from tenant data (serials, evidence, titles): every string is escaped, nothing runs.
import { describe, expect, it } from 'vitest';
import { renderReviewPage } from '../../../../shared/core/approvals/index.js';
import { DEREGISTER, request } from '../../app/approvals/fixtures.js';
import { T0 } from '../../app/remediation/support.js';

const HOSTILE = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>`;

describe('renderReviewPage', () => {
  const r = request(DEREGISTER, {
    target: { ...DEREGISTER, serialNumber: HOSTILE },
    findingTitle: HOSTILE,
    subjectKey: HOSTILE,
    evidence: { [HOSTILE]: HOSTILE, n: 3 },
    state: { enrollmentState: HOSTILE },
  });

  it('escapes every tenant string and contains no script or event handler', () => {
    const page = renderReviewPage(r, { formAction: '/api/approvals/x', token: 't'.repeat(43), now: T0 });
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img');
  });

  it('shows the forms only while the request can be decided', () => {
    const opts = { formAction: '/api/approvals/x?code=k%26', token: 't'.repeat(43), now: T0 };
    expect(renderReviewPage(r, opts)).toContain('action="/api/approvals/x?code=k%26"');
    expect(renderReviewPage(r, opts).match(/<form /g)).toHaveLength(2);
    expect(renderReviewPage(r, { ...opts, now: r.expiresAt })).not.toContain('<form');
    expect(renderReviewPage({ ...r, status: 'rejected', decidedBy: 'bob' }, opts)).not.toContain('<form');
    expect(renderReviewPage(r, { ...opts, now: r.expiresAt })).toContain('>expired<');
  });
});
