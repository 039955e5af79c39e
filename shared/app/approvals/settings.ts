import { approvalToken, type ApprovalRequest } from '../../core/approvals/index.js';

/** APPROVAL_* settings as the use cases need them. */
export interface ApprovalSettings {
  /** HMAC key of the review links' tokens; null = no links (the CLI decides). */
  readonly signingKey: string | null;
  /** The app's public address; null = no links. */
  readonly baseUrl: string | null;
  readonly expiryMs: number;
  /**
   * A many-tenant deployment's tenant (its id): review links carry `&tenant=<id>`, so the review page opens that
   * tenant's request without looking in every tenant's table. Absent or null (one tenant): links as before.
   */
  readonly tenant?: string | null;
}

/** The review page of a request with its single-use token, or null when no link can be issued. */
export function reviewUrl(settings: ApprovalSettings, request: ApprovalRequest): string | null {
  if (settings.signingKey === null || settings.baseUrl === null) return null;
  const token = approvalToken(settings.signingKey, request);
  const tenant = settings.tenant ? `&tenant=${encodeURIComponent(settings.tenant)}` : '';
  return `${settings.baseUrl.replace(/\/+$/, '')}/api/approvals/${request.id}?token=${token}${tenant}`;
}
