#!/usr/bin/env bash
# Grant the Microsoft Graph application permissions listed in shared/core/permissions/graph-permissions.json
# to the function app's managed identity. Fallback for infra/app/graph-permissions.bicep (same list) when the
# identity that deploys the infrastructure may not assign Graph app roles.
#
# Idempotent: permissions already assigned are skipped; run it as often as you like.
#
# Requires: az (signed in as a Privileged Role Administrator or Global Administrator: the call needs
#           AppRoleAssignment.ReadWrite.All + Application.Read.All), node (reads the JSON list).
#
# Usage:
#   infra/scripts/grant-graph-permissions.sh [--principal-id <object id>] [--tiers read,report,remediate]
#                                           [--check] [--permissions-file <path>]
#
#   --principal-id   object id of the managed identity's service principal (the UAMI "principalId").
#                    Default: $MANAGED_IDENTITY_PRINCIPAL_ID, else `azd env get-value MANAGED_IDENTITY_PRINCIPAL_ID`.
#   --tiers          which entries to grant, by requiredFor (default: read,report,remediate).
#                    Plan mode needs only read,report; add remediate before enforcing actions.
#   --check          grant nothing; list what is missing and exit 1 if anything is.
set -euo pipefail

GRAPH_APP_ID='00000003-0000-0000-c000-000000000000'
GRAPH='https://graph.microsoft.com/v1.0'
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
permissions_file="${script_dir}/../../shared/core/permissions/graph-permissions.json"
principal_id="${MANAGED_IDENTITY_PRINCIPAL_ID:-}"
tiers='read,report,remediate'
check_only=false

die() { echo "error: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --principal-id) principal_id="${2:-}"; shift 2 ;;
    --tiers) tiers="${2:-}"; shift 2 ;;
    --check) check_only=true; shift ;;
    --permissions-file) permissions_file="${2:-}"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

command -v az >/dev/null || die "the Azure CLI (az) is required"
command -v node >/dev/null || die "node is required to read ${permissions_file}"
[[ -f "$permissions_file" ]] || die "permission list not found: ${permissions_file}"
if [[ -z "$principal_id" ]] && command -v azd >/dev/null; then
  principal_id="$(azd env get-value MANAGED_IDENTITY_PRINCIPAL_ID 2>/dev/null || true)"
fi
[[ "$principal_id" =~ ^[0-9a-fA-F-]{36}$ ]] || die "--principal-id <object id of the managed identity> is required"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# All JSON handling is in node so the script needs no jq. Arguments after the script: process.argv[1..].
json() { node -e "$1" -- "${@:2}"; }

# 1. Microsoft Graph's service principal in this tenant: its object id and app roles.
az rest --method get \
  --url "${GRAPH}/servicePrincipals(appId='${GRAPH_APP_ID}')?\$select=id,appRoles" >"$work/graph-sp.json"

# 2. The wanted roles: "permission<TAB>appRoleId<TAB>requiredFor", app role id resolved by value and
#    cross-checked against the id in the list (a wrong GUID in the list must fail loudly, not grant something else).
json '
  const fs = require("fs");
  const [listFile, spFile, tierCsv] = process.argv.slice(1);
  const list = JSON.parse(fs.readFileSync(listFile, "utf8"));
  const sp = JSON.parse(fs.readFileSync(spFile, "utf8"));
  const tiers = tierCsv.split(",").map((t) => t.trim()).filter(Boolean);
  const bad = tiers.filter((t) => !["read", "report", "remediate"].includes(t));
  if (bad.length) { console.error("error: unknown tier(s): " + bad.join(", ")); process.exit(2); }
  let failed = false;
  for (const p of list.filter((e) => tiers.includes(e.requiredFor))) {
    const role = (sp.appRoles || []).find((r) => r.value === p.permission && (r.allowedMemberTypes || []).includes("Application"));
    if (!role) { console.error("error: Microsoft Graph has no application permission " + p.permission); failed = true; continue; }
    if (p.appRoleId && p.appRoleId.toLowerCase() !== role.id.toLowerCase()) {
      console.error("error: " + p.permission + " is " + role.id + " in this tenant, but the list says " + p.appRoleId);
      failed = true; continue;
    }
    console.log([p.permission, role.id, p.requiredFor].join("\t"));
  }
  if (failed) process.exit(2);
' "$permissions_file" "$work/graph-sp.json" "$tiers" >"$work/wanted.tsv"
graph_sp_id="$(json 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).id)' "$work/graph-sp.json")"

# 3. What the identity already has on Microsoft Graph (follow @odata.nextLink to the end).
: >"$work/existing.txt"
url="${GRAPH}/servicePrincipals/${principal_id}/appRoleAssignments"
while [[ -n "$url" ]]; do
  az rest --method get --url "$url" </dev/null >"$work/page.json"
  url="$(json '
    const fs = require("fs");
    const [pageFile, resourceId, outFile] = process.argv.slice(1);
    const page = JSON.parse(fs.readFileSync(pageFile, "utf8"));
    for (const a of page.value || []) {
      if (a.resourceId === resourceId) fs.appendFileSync(outFile, a.appRoleId.toLowerCase() + "\n");
    }
    console.log(page["@odata.nextLink"] || "");
  ' "$work/page.json" "$graph_sp_id" "$work/existing.txt")"
done

# 4. Grant what is missing.
granted=0; present=0; missing=0
while IFS=$'\t' read -r permission role_id tier; do
  [[ -n "$permission" ]] || continue
  if grep -qixF "$role_id" "$work/existing.txt"; then
    echo "present  ${permission} (${tier})"
    present=$((present + 1))
  elif [[ "$check_only" == true ]]; then
    echo "MISSING  ${permission} (${tier})"
    missing=$((missing + 1))
  else
    body="{\"principalId\":\"${principal_id}\",\"resourceId\":\"${graph_sp_id}\",\"appRoleId\":\"${role_id}\"}"
    if out="$(az rest --method post --url "${GRAPH}/servicePrincipals/${principal_id}/appRoleAssignments" \
      --headers 'Content-Type=application/json' --body "$body" </dev/null 2>&1)"; then
      echo "granted  ${permission} (${tier})"
      granted=$((granted + 1))
    elif grep -qi 'already exists' <<<"$out"; then
      echo "present  ${permission} (${tier})" # assigned concurrently
      present=$((present + 1))
    else
      echo "$out" >&2
      die "could not grant ${permission}: the signed-in account needs Privileged Role Administrator (or Global Administrator)"
    fi
  fi
done <"$work/wanted.tsv"

echo "summary: ${granted} granted, ${present} already present, ${missing} missing (principal ${principal_id})"
if [[ "$check_only" == true && "$missing" -gt 0 ]]; then exit 1; fi
exit 0
