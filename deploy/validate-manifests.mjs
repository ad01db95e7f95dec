#!/usr/bin/env node
// Validates Kubernetes objects against the Kubernetes and prometheus-operator OpenAPI schemas,
// offline, with the npm packages kubernetes-models and @kubernetes-models/prometheus-operator.
//
// Input (stdin): a JSON array of objects, e.g. the documents of `helm template` converted to JSON.
// Output (stdout): one line per object, "ok <apiVersion> <kind> <name>" or
// "invalid <apiVersion> <kind> <name>: <errors>". Exit code 0 only when every object is valid and of
// a kind these packages know; an unknown apiVersion/kind counts as invalid (a typo must not pass).
//
// Called by src/test/java/dev/ossaat/orchestrator/deploy/ManifestSchemaTest.java.

const PROVIDERS = [
  // [apiVersion prefix, module path prefix]
  ["monitoring.coreos.com/", "@kubernetes-models/prometheus-operator/"],
  ["", "kubernetes-models/"],
];

async function modelFor(apiVersion, kind) {
  if (!/^[A-Za-z0-9.\-/]+$/.test(apiVersion) || !/^[A-Za-z0-9]+$/.test(kind)) {
    throw new Error(`malformed apiVersion/kind ${apiVersion} ${kind}`);
  }
  const [, modulePrefix] = PROVIDERS.find(([prefix]) => apiVersion.startsWith(prefix));
  const specifier = `${modulePrefix}${apiVersion}/${kind}`;
  let module;
  try {
    module = await import(specifier);
  } catch (e) {
    throw new Error(`no schema for ${apiVersion} ${kind} (${specifier}): ${e.code || e.message}`);
  }
  const model = module[kind];
  if (typeof model !== "function") throw new Error(`${specifier} exports no ${kind}`);
  return model;
}

function describe(error) {
  // ajv errors: keep the path and the message, they say what to fix.
  if (Array.isArray(error.details)) {
    return error.details.map((d) => `${d.instancePath || "/"} ${d.message}`).join("; ");
  }
  return error.message;
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const objects = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  if (!Array.isArray(objects) || objects.length === 0) {
    console.log("invalid input: expected a non-empty JSON array of objects");
    process.exit(2);
  }
  let failures = 0;
  for (const object of objects) {
    const { apiVersion = "", kind = "" } = object;
    const name = object.metadata?.name ?? "<no name>";
    try {
      const Model = await modelFor(apiVersion, kind);
      new Model(object).validate();
      console.log(`ok ${apiVersion} ${kind} ${name}`);
    } catch (e) {
      failures++;
      console.log(`invalid ${apiVersion} ${kind} ${name}: ${describe(e)}`);
    }
  }
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((e) => {
  console.log(`error: ${e.stack || e}`);
  process.exit(3);
});
