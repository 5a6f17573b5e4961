#!/usr/bin/env bash
# The GitHub Action's scan (action.yml runs it; CI runs it too, against a
# local repository). It scans the commits of the event with `pushguard scan
# --git`, each commit's added lines:
#
#   push          BEFORE..SHA; a new branch, or a BEFORE the clone does not
#                 have (a force push): the commits not on the default branch;
#                 the default branch with no BEFORE: its whole history
#   pull_request  BASE..HEAD, the pull request's commits
#   other events  the whole history of GITHUB_SHA
#
# writes SARIF to PUSHGUARD_SARIF, and with PUSHGUARD_UPLOAD=api uploads it to
# code scanning through the REST API (action.yml's default uploads with
# github/codeql-action/upload-sarif instead). It exits with pushguard's
# status: 0 nothing found, 1 secrets found, 2 failure (a shallow checkout, a
# pull request's commit missing from the clone, a failed upload: never a
# silent pass).
#
# Environment: PUSHGUARD (the binary; default: pushguard on PATH),
# GITHUB_WORKSPACE, GITHUB_EVENT_NAME, GITHUB_SHA, GITHUB_REF,
# PUSHGUARD_BEFORE (github.event.before), PUSHGUARD_BASE and PUSHGUARD_HEAD
# (the pull request's base and head SHAs), PUSHGUARD_DEFAULT_BRANCH,
# PUSHGUARD_SARIF (default pushguard.sarif), PUSHGUARD_ARGS (more scan flags,
# split on spaces), PUSHGUARD_UPLOAD (api, or anything else for no upload);
# for the upload GITHUB_API_URL, GITHUB_REPOSITORY and GITHUB_TOKEN. Outputs
# (sarif, exit-code, range) go to GITHUB_OUTPUT when it is set.
set -euo pipefail

pushguard=${PUSHGUARD:-pushguard}
sarif=${PUSHGUARD_SARIF:-pushguard.sarif}
zero='^0+$'

fail() {
  echo "pushguard action: $*" >&2
  exit 2
}

cd "${GITHUB_WORKSPACE:-.}"
[[ $sarif == /* ]] || sarif="$PWD/$sarif"
[[ -n ${GITHUB_SHA:-} ]] || fail "GITHUB_SHA is not set"
git rev-parse --verify -q "$GITHUB_SHA^{commit}" >/dev/null || fail "commit $GITHUB_SHA is not in the checkout"
if [[ $(git rev-parse --is-shallow-repository) == true ]]; then
  fail "the checkout is shallow, so older commits of the range cannot be scanned: use actions/checkout with fetch-depth: 0"
fi

# has_commit SHA: whether the clone has the commit.
has_commit() { git rev-parse --verify -q "$1^{commit}" >/dev/null; }

# range: the git log arguments of the event's commits.
range=()
case ${GITHUB_EVENT_NAME:-} in
push)
  before=${PUSHGUARD_BEFORE:-}
  default=${PUSHGUARD_DEFAULT_BRANCH:-}
  if [[ -n $before && ! $before =~ $zero ]] && ! has_commit "$before"; then
    echo "pushguard action: the push's base $before is not in the clone (a force push over commits that are gone?): scanning the commits not on the default branch" >&2
    before=""
  fi
  if [[ -n $before && ! $before =~ $zero ]]; then
    range=("$before..$GITHUB_SHA")
  elif [[ -n $default && ${GITHUB_REF:-} != "refs/heads/$default" ]] && has_commit "refs/remotes/origin/$default"; then
    range=("$GITHUB_SHA" --not "refs/remotes/origin/$default") # a new branch
  else
    range=("$GITHUB_SHA") # the first push of the default branch: its whole history
  fi
  ;;
pull_request | pull_request_target)
  base=${PUSHGUARD_BASE:-} head=${PUSHGUARD_HEAD:-}
  [[ -n $base && -n $head ]] || fail "a pull request event needs PUSHGUARD_BASE and PUSHGUARD_HEAD"
  has_commit "$base" || fail "the pull request's base $base is not in the clone: use actions/checkout with fetch-depth: 0"
  has_commit "$head" || fail "the pull request's head $head is not in the clone: use actions/checkout with fetch-depth: 0"
  range=("$base..$head")
  ;;
*)
  range=("$GITHUB_SHA")
  ;;
esac

# PUSHGUARD_ARGS is split on spaces on purpose: flags such as --config FILE.
# shellcheck disable=SC2206
extra=(${PUSHGUARD_ARGS:-})
echo "pushguard action: scanning git log ${range[*]}"
status=0
"$pushguard" scan --format sarif --output "$sarif" "${extra[@]}" --git "${range[@]}" || status=$?
case $status in
0) echo "pushguard action: no secrets found" ;;
1) echo "pushguard action: secrets found: see the SARIF report $sarif and the code scanning alerts" ;;
*) fail "pushguard scan failed (exit status $status)" ;;
esac

if [[ -n ${GITHUB_OUTPUT:-} ]]; then
  {
    echo "sarif=$sarif"
    echo "exit-code=$status"
    echo "range=${range[*]}"
  } >>"$GITHUB_OUTPUT"
fi

if [[ ${PUSHGUARD_UPLOAD:-} == api ]]; then
  [[ -n ${GITHUB_REPOSITORY:-} && -n ${GITHUB_TOKEN:-} && -n ${GITHUB_REF:-} ]] ||
    fail "the upload needs GITHUB_REPOSITORY, GITHUB_TOKEN and GITHUB_REF"
  body=$(mktemp)
  trap 'rm -f "$body"' EXIT
  printf '{"commit_sha":"%s","ref":"%s","tool_name":"pushguard","sarif":"%s"}' \
    "$GITHUB_SHA" "$GITHUB_REF" "$(gzip -c "$sarif" | base64 | tr -d '\n')" >"$body"
  api=${GITHUB_API_URL:-https://api.github.com}
  if ! answer=$(curl -sS --fail-with-body -X POST \
    -H "Authorization: Bearer $GITHUB_TOKEN" -H "Accept: application/vnd.github+json" \
    -H "X-GitHub-Api-Version: 2022-11-28" -H "Content-Type: application/json" \
    --data-binary "@$body" "$api/repos/$GITHUB_REPOSITORY/code-scanning/sarifs"); then
    fail "uploading the SARIF report to code scanning failed: $answer"
  fi
  echo "pushguard action: SARIF uploaded to code scanning: $answer"
fi
exit "$status"
