import type { EndpointProbe, GraphProbe } from '../../ports/index.js';
import type { HealthCheck } from './types.js';

// One read-only request per endpoint the product reads: a permission can be granted and still refused (a
// Conditional Access policy for workload identities, a tenant restriction, a scope tag), and only a real request
// shows it. A refusal names the call, so the operator knows which permission or policy to look at.

export async function endpointCheck(probe: GraphProbe): Promise<HealthCheck> {
  let results: EndpointProbe[];
  try {
    results = await probe.endpoints();
  } catch (err) {
    return {
      name: 'endpoints',
      status: 'failing',
      detail: `the endpoint probes could not run: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  const bad = results.filter((r) => r.outcome !== 'ok');
  const detail =
    bad.length === 0
      ? `${results.length} endpoint(s) answered a read-only request`
      : `${bad.length} of ${results.length} endpoint(s) refused or failed: ${bad.map((r) => `${r.call} (${r.httpStatus ?? 'no answer'})`).join(', ')}`;
  return {
    name: 'endpoints',
    // A refusal is a permission or a policy (polls will fail the same way); any other failure may pass (503, 429).
    status: bad.some((r) => r.outcome === 'denied') ? 'failing' : bad.length > 0 ? 'degraded' : 'ok',
    detail,
    data: {
      endpoints: results.map((r) => ({
        name: r.name,
        call: r.call,
        outcome: r.outcome,
        httpStatus: r.httpStatus,
        detail: r.detail,
      })),
    },
  };
}
