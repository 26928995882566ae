/**
 * Validation of simulator answers against GitHub's published descriptions: the REST OpenAPI
 * (@octokit/openapi, OpenAPI 3.0: `nullable`, `oneOf` + `discriminator`) and the webhook payloads
 * (@octokit/openapi-webhooks, OpenAPI 3.1 / JSON Schema 2020-12).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

const require = createRequire(import.meta.url);
// ajv-formats is CommonJS with a default export.
const addFormats =
  (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function load(pkg: string, file: string): JsonObject {
  const dir = require.resolve(`${pkg}/package.json`).replace(/package\.json$/, "");
  return JSON.parse(readFileSync(`${dir}${file}`, "utf8")) as JsonObject;
}

const KNOWN_FORMATS = new Set([
  "date-time",
  "date",
  "time",
  "email",
  "uri",
  "uri-reference",
  "uri-template",
  "uuid",
  "hostname",
  "ipv4",
  "ipv6",
  "regex",
  "int32",
  "int64",
  "float",
  "double",
  "binary",
  "byte",
  "password",
]);

/**
 * Converts OpenAPI 3.0 schema dialect to JSON Schema: `nullable: true` admits null, `oneOf` with a
 * `discriminator` becomes `anyOf` (GitHub's user schemas overlap), local refs point into `docId`.
 */
export function convertSchema(node: Json, docId: string, openapi30: boolean): Json {
  if (Array.isArray(node)) return node.map((n) => convertSchema(n, docId, openapi30));
  if (node === null || typeof node !== "object") return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "$ref" && typeof v === "string" && v.startsWith("#/")) out.$ref = `${docId}${v}`;
    else if (k === "discriminator" || k === "example" || k === "x-github" || k === "deprecated") continue;
    else if (k === "format" && typeof v === "string" && !KNOWN_FORMATS.has(v)) continue;
    else out[k] = convertSchema(v, docId, openapi30);
  }
  if ("discriminator" in node && Array.isArray(out.oneOf)) {
    out.anyOf = out.oneOf;
    delete out.oneOf;
  }
  if (openapi30 && out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === "string") out.type = [out.type, "null"];
    else if (out.enum && Array.isArray(out.enum)) out.enum = [...out.enum, null];
    else {
      const inner = { ...out };
      for (const key of Object.keys(out)) delete out[key];
      out.anyOf = [inner, { type: "null" }];
    }
  }
  if (
    openapi30 &&
    Array.isArray(out.enum) &&
    Array.isArray(out.type) &&
    out.type.includes("null") &&
    !out.enum.includes(null)
  ) {
    out.enum = [...out.enum, null];
  }
  return out;
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}

/** Outcome of validating one answer. */
export interface Validation {
  /** The status is one the operation documents. */
  documented: boolean;
  errors: string[];
}

/** Which published description to check against: github.com's, or GitHub Enterprise Server 3.17's. */
export type RestDescription = "api.github.com" | "ghes-3.17";

const rest = new Map<RestDescription, { spec: JsonObject; ajv: Ajv; cache: Map<string, ValidateFunction> }>();

function restSpec(description: RestDescription) {
  let loaded = rest.get(description);
  if (!loaded) {
    const spec = load("@octokit/openapi", `generated/${description}.json`);
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(ajv);
    const components = convertSchema(spec.components as Json, "gh", true);
    ajv.addSchema({ $id: "gh", components } as unknown as JsonObject);
    loaded = { spec, ajv, cache: new Map() };
    rest.set(description, loaded);
  }
  return loaded;
}

function responseSchema(
  description: RestDescription,
  method: string,
  template: string,
  status: number,
): { documented: boolean; schema: Json | undefined } {
  const { spec } = restSpec(description);
  const paths = spec.paths as Record<string, Record<string, JsonObject>>;
  const op = paths[template]?.[method.toLowerCase()];
  if (!op) throw new Error(`no operation ${method} ${template} in @octokit/openapi`);
  const responses = op.responses as Record<string, JsonObject>;
  let response = responses[String(status)];
  const documented = response !== undefined;
  if (!response) return { documented, schema: undefined };
  if (typeof response.$ref === "string") {
    const name = response.$ref.split("/").pop() ?? "";
    response = ((spec.components as JsonObject).responses as Record<string, JsonObject>)[name] ?? {};
  }
  const content = response.content as Record<string, JsonObject> | undefined;
  return { documented, schema: content?.["application/json"]?.schema };
}

/**
 * Validates an answer of `METHOD template` against @octokit/openapi (github.com's description unless
 * another is named). Undocumented statuses are
 * reported (`documented: false`) and their body checked against `basic-error`.
 */
export function validateRest(
  method: string,
  template: string,
  status: number,
  body: unknown,
  description: RestDescription = "api.github.com",
): Validation {
  const { ajv, cache } = restSpec(description);
  const { documented, schema } = responseSchema(description, method, template, status);
  const key = `${method} ${template} ${status}`;
  let validate = cache.get(key);
  if (!validate) {
    const target: Json | undefined = documented
      ? schema
      : status >= 400
        ? { $ref: "#/components/schemas/basic-error" }
        : undefined;
    if (target === undefined) {
      return {
        documented,
        errors: body === undefined || body === null || body === "" ? [] : ["operation documents no body"],
      };
    }
    validate = ajv.compile(convertSchema(target, "gh", true) as JsonObject);
    cache.set(key, validate);
  }
  const ok = validate(body);
  return { documented, errors: ok ? [] : formatErrors(validate.errors) };
}

let hooks: { ajv: Ajv2020; cache: Map<string, ValidateFunction> } | undefined;

/** Validates a webhook payload against `webhook-<event>-<action>` of @octokit/openapi-webhooks. */
export function validateWebhook(event: string, action: string, payload: unknown): string[] {
  if (!hooks) {
    const spec = load("@octokit/openapi-webhooks", "generated/api.github.com.json");
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({
      $id: "wh",
      components: convertSchema(spec.components as Json, "wh", false),
    } as unknown as JsonObject);
    hooks = { ajv, cache: new Map() };
  }
  const name = `webhook-${event.replace(/_/g, "-")}-${action.replace(/_/g, "-")}`;
  let validate = hooks.cache.get(name);
  if (!validate) {
    validate = hooks.ajv.compile({ $ref: `wh#/components/schemas/${name}` });
    hooks.cache.set(name, validate);
  }
  return validate(payload) ? [] : formatErrors(validate.errors);
}
