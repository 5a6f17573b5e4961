// extract-additions.mjs writes openapi-additions.json: the operations that
// fakegithub serves but openapi-subset.json lacks, copied from the
// @octokit/openapi package's generated/api.github.com.json together with every
// component they reference (transitively), with Octokit's "x-octokit" keys
// removed. See SOURCES.md.
//
// Usage: node extract-additions.mjs path/to/api.github.com.json > openapi-additions.json
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";

const OPERATIONS = [
  ["get", "/repos/{owner}/{repo}"],
  ["get", "/repos/{owner}/{repo}/commits"],
  ["get", "/repos/{owner}/{repo}/commits/{ref}"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}/commits"],
  ["get", "/repos/{owner}/{repo}/check-runs/{check_run_id}"],
  ["get", "/repos/{owner}/{repo}/issues/comments/{comment_id}"],
  ["post", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"],
  ["delete", "/installation/token"],
  ["get", "/repos/{owner}/{repo}/installation"],
  ["get", "/app/installations/{installation_id}"],
  ["get", "/rate_limit"],
  ["get", "/orgs/{org}/teams/{team_slug}/memberships/{username}"],
];

const full = JSON.parse(readFileSync(process.argv[2], "utf8"));
const subset = JSON.parse(
  readFileSync(new URL("./openapi-subset.json", import.meta.url), "utf8"),
);

function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "x-octokit") continue;
    out[k] = strip(v);
  }
  return out;
}

function refs(value, found) {
  if (Array.isArray(value)) value.forEach((v) => refs(v, found));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string" && v.startsWith("#/")) found.add(v);
      else refs(v, found);
    }
  }
  return found;
}

const out = {
  openapi: full.openapi,
  info: subset.info,
  servers: subset.servers,
  paths: {},
  components: {},
};
const pending = new Set();
for (const [method, path] of OPERATIONS) {
  if (subset.paths[path]?.[method]) throw new Error(`${method} ${path} already in subset`);
  const op = full.paths[path]?.[method];
  if (!op) throw new Error(`${method} ${path} not in ${process.argv[2]}`);
  const body = op.requestBody?.content?.["application/json"]?.schema;
  for (const k of ["anyOf", "oneOf"]) {
    if (body?.[k]) console.error(`warning: ${method} ${path} request body has ${k}; Octokit may have filtered it`);
  }
  out.paths[path] ??= {};
  out.paths[path][method] = strip(op);
  refs(out.paths[path][method], pending);
}
const done = new Set();
while (pending.size) {
  const ref = pending.values().next().value;
  pending.delete(ref);
  if (done.has(ref)) continue;
  done.add(ref);
  const [, , kind, name] = ref.split("/");
  const value = strip(full.components[kind][name]);
  if (value === undefined) throw new Error(`unresolved ${ref}`);
  const existing = subset.components[kind]?.[name];
  if (existing !== undefined && !isDeepStrictEqual(existing, value)) {
    throw new Error(`${ref} differs from the subset's copy`);
  }
  out.components[kind] ??= {};
  out.components[kind][name] = value;
  refs(value, pending);
}
for (const kind of Object.keys(out.components)) {
  out.components[kind] = Object.fromEntries(
    Object.entries(out.components[kind]).sort(([a], [b]) => a.localeCompare(b)),
  );
}
console.error(
  `${OPERATIONS.length} operations; components: ` +
    Object.entries(out.components).map(([k, v]) => `${Object.keys(v).length} ${k}`).join(", "),
);
process.stdout.write(JSON.stringify(out, null, 2) + "\n");
