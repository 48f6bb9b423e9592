// Batch runner for the external reference evaluator used by the differential tests.
//
// Protocol (JSON lines):
//   on start, one line:  {"ready": true, "version": "<package version>"}
//   then for every input line {"id": ..., "simulation": {...}} (the package's public
//   Simulation shape), one output line, in order:
//     {"id": ..., "resultType": "single", "overall": "Allowed" | "ExplicitlyDenied" |
//      "ImplicitlyDenied", "ignoredContextKeys": [...], "blockedBy": [...]}
//   or {"id": ..., "resultType": "error", "errors": {...}} when the package rejects the input,
//   or {"id": ..., "resultType": "crash", "message": "..."} when it throws.
// A malformed input line yields {"id": null, "resultType": "crash", ...} and the runner goes on.
// The package is only called through its documented entry point, runSimulation.

import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { runSimulation } from "@cloud-copilot/iam-simulate";

const require = createRequire(import.meta.url);

function packageVersion() {
  try {
    return require("@cloud-copilot/iam-simulate/package.json").version;
  } catch {
    // The package's export map may hide package.json; read it from disk instead.
    const fs = require("node:fs");
    const path = require("node:path");
    const here = path.dirname(new URL(import.meta.url).pathname);
    const file = path.join(here, "node_modules", "@cloud-copilot", "iam-simulate", "package.json");
    return JSON.parse(fs.readFileSync(file, "utf8")).version;
  }
}

function write(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

async function handle(line) {
  let message;
  try {
    message = JSON.parse(line);
  } catch (err) {
    return { id: null, resultType: "crash", message: `bad input line: ${err.message}` };
  }
  const id = message.id ?? null;
  try {
    const response = await runSimulation(message.simulation, { simulationMode: "Strict" });
    if (response.resultType === "error") {
      return { id, resultType: "error", errors: response.errors };
    }
    if (response.resultType === "single") {
      return {
        id,
        resultType: "single",
        overall: response.overallResult,
        ignoredContextKeys: response.result.ignoredContextKeys ?? [],
        blockedBy: response.result.analysis?.blockedBy ?? [],
      };
    }
    return {
      id,
      resultType: response.resultType,
      overall: response.overallResult,
      ignoredContextKeys: [],
      blockedBy: [],
    };
  } catch (err) {
    return { id, resultType: "crash", message: String(err && err.stack ? err.stack : err) };
  }
}

async function main() {
  write({ ready: true, version: packageVersion() });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    write(await handle(line));
  }
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
});
