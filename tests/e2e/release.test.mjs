// The release's wasm and glue after build/short-names.mjs: they still fit each other
// (the glue's import object links the wasm; every export the glue calls exists), the
// names are short, nothing unused is exported, and each file is named after its bytes.
// The other suites run this same pair in Chromium; these checks name the fault.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";

const DIST = new URL("../../dist/", import.meta.url).pathname;
const named = (pattern) => {
  const files = readdirSync(DIST).filter((file) => pattern.test(file));
  assert.equal(files.length, 1, `one ${pattern} in dist/: ${files.join(", ")}`);
  return files[0];
};
const wasmFile = named(/^presence-widget-[0-9a-f]{16}_bg\.wasm$/);
const glueFile = named(/^presence-widget-[0-9a-f]{16}\.js$/);
const wasmBytes = readFileSync(DIST + wasmFile);
const glue = readFileSync(DIST + glueFile, "utf8");
const module = new WebAssembly.Module(wasmBytes);
const imports = WebAssembly.Module.imports(module);
const exports = WebAssembly.Module.exports(module);

test("the glue's import object links the wasm, and every export the glue calls exists", async () => {
  // The glue's own import object, taken from its text (it is not exported).
  const source = `${glue}\nexport { __wbg_get_imports };`;
  const { __wbg_get_imports } = await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);
  // Instantiating links every import (a missing or misnamed one is a LinkError) and
  // runs no widget code: wasm-bindgen starts it through an export the glue calls.
  assert.ok(new WebAssembly.Instance(module, __wbg_get_imports()));
  const called = new Set([...glue.matchAll(/\bwasm\.([\w$]+)/g)].map((match) => match[1]));
  const exported = new Set(exports.map((entry) => entry.name));
  assert.deepEqual([...called].filter((name) => !exported.has(name)), [], "the glue calls exports the wasm lacks");
  assert.deepEqual([...exported].filter((name) => !called.has(name)), [], "the wasm exports what the glue never calls");
});

test("import and export names are short, without wasm-bindgen's hashes or wasm-streams' classes", () => {
  assert.ok(imports.length > 200, `${imports.length} imports`);
  for (const entry of imports) {
    assert.equal(entry.module, "w");
    assert.match(entry.name, /^[a-zA-Z]{1,2}$/);
  }
  // `memory` keeps its name: the memory checks read it from the started widget.
  for (const entry of exports) assert.match(entry.name, /^(?:[a-zA-Z]{1,2}|memory)$/);
  assert.doesNotMatch(glue, /[0-9a-f]{15,}/, "a hashed name is left in the glue");
  assert.doesNotMatch(glue, /IntoUnderlying/i);
});

test("the wasm and the glue are named after their own bytes", () => {
  for (const file of [wasmFile, glueFile]) {
    const hash = createHash("sha256").update(readFileSync(DIST + file)).digest("hex").slice(0, 16);
    assert.ok(file.includes(hash), `${file} is not named after its bytes (${hash})`);
  }
});

test("a glue or wasm of a shape short-names does not know leaves both files as they were, with a warning: the release still builds", async () => {
  const { spawnSync } = await import("node:child_process");
  const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const script = new URL("../../build/short-names.mjs", import.meta.url).pathname;
  const cases = [
    // The pair as shipped: its names are already short, which no wasm-bindgen writes.
    ["an already renamed pair", wasmBytes, glue],
    // Another minifier: the import module named twice.
    ["a glue of another shape", wasmBytes, `${glue};const again=${JSON.stringify(imports[0].module)}`],
    // Not a wasm at all.
    ["a wasm it cannot read", Buffer.from("not a wasm"), glue],
  ];
  for (const [what, wasm, js] of cases) {
    const dir = mkdtempSync(join(tmpdir(), "short-names-test-"));
    try {
      writeFileSync(join(dir, "w_bg.wasm"), wasm);
      writeFileSync(join(dir, "w.js"), js);
      const run = spawnSync("node", [script, join(dir, "w_bg.wasm"), join(dir, "w.js")], { encoding: "utf8" });
      assert.equal(run.status, 0, `${what}: the build goes on (${run.stderr})`);
      assert.match(run.stderr, /short-names: WARNING: .*keeps wasm-bindgen's names/, what);
      assert.ok(readFileSync(join(dir, "w_bg.wasm")).equals(wasm), `${what}: the wasm untouched`);
      assert.equal(readFileSync(join(dir, "w.js"), "utf8"), js, `${what}: the glue untouched`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
