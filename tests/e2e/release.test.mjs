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
