// The shared part of the client scripts: read the arguments, run one case, print one JSON line.
//
//   node <script> <baseUrl> <case> <model>
//
// A case returns a plain object; it is printed as {"ok": true, ...result}. An error the SDK throws is
// printed as {"ok": false, "error": {...}} with its class and HTTP details, and the script still exits
// 0: raising the right typed error can be what the Java test expects. Misuse (unknown case, missing
// argument) exits 2. The Java tests hold all the assertions.

export function describeError(err, sdk) {
  const headers = {};
  if (err && err.headers && typeof err.headers.forEach === 'function') {
    err.headers.forEach((value, key) => { headers[key] = value; });
  }
  const classes = [];
  for (const [name, cls] of Object.entries(sdk)) {
    if (typeof cls === 'function' && /Error$/.test(name) && err instanceof cls) classes.push(name);
  }
  return {
    name: err?.constructor?.name ?? typeof err,
    instanceOf: classes.sort(),
    status: err?.status ?? null,
    type: err?.type ?? err?.error?.type ?? null,
    code: err?.code ?? null,
    message: String(err?.message ?? err),
    headers,
  };
}

export async function main(cases, sdk) {
  const [baseUrl, caseName, model] = process.argv.slice(2);
  if (!baseUrl || !caseName || !model) {
    console.error(`usage: node ${process.argv[1]} <baseUrl> <case> <model>; cases: ${Object.keys(cases).join(', ')}`);
    process.exit(2);
  }
  const run = cases[caseName];
  if (!run) {
    console.error(`unknown case '${caseName}'; cases: ${Object.keys(cases).join(', ')}`);
    process.exit(2);
  }
  let line;
  try {
    line = { ok: true, case: caseName, ...(await run({ baseUrl, model })) };
  } catch (err) {
    line = { ok: false, case: caseName, error: describeError(err, sdk) };
    if (err?.stack) console.error(err.stack);
  }
  process.stdout.write(JSON.stringify(line) + '\n');
}
