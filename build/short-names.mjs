// Release builds only (scripts/write-embed.sh): gives the wasm's imports and exports
// short names, in the wasm and in wasm-bindgen's glue alike, and drops the exports
// nothing calls.
//
// Why: wasm-bindgen names each of the ~280 imports after its function plus a 16-digit
// hash (`__wbg_createElement_de4a31ed2fb252be`), and both files carry every name; the
// hashes do not compress. With the dropped classes below, this took the brotli transfer
// from 192.6 to 184.7 KB (docs/performance.md). The names are private to the pair (the glue's own exports, `mountAll` and the rest, are
// JavaScript functions and keep theirs), so renaming them in both changes nothing else.
//
// Dropped exports: wasm-streams' three stream classes, which leptos links in through
// `server_fn/browser` and the widget never uses, and exports the glue never names.
// Their glue (classes, finalization registries) goes too, and wasm-opt then removes
// the code only they reached.
//
// The glue's local wrappers of the closures' exports lose their mangled names too.
//
// Every rewrite is checked, and no tool's output can stop a release: a glue that does
// not have the expected shape (another wasm-bindgen or minifier), a wasm it cannot
// read, a wasm-opt other than the one Trunk.toml pins (its features are index.html's)
// or one that fails, leaves both files exactly as wasm-bindgen and Trunk wrote them,
// with a warning: the release is then larger (the benchmark's size report shows by
// how much), never broken. Nothing is written until every step has succeeded.
// Usage: node build/short-names.mjs file_bg.wasm glue.js   (both rewritten in place)
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [wasmPath, gluePath] = process.argv.slice(2);
if (!wasmPath || !gluePath) {
  console.error("short-names: usage: short-names.mjs file_bg.wasm glue.js");
  process.exit(1);
}
const fail = (message) => {
  console.warn(`short-names: WARNING: ${message}: the release keeps wasm-bindgen's names ` +
    "(a larger transfer; see the benchmark's size report)");
  process.exit(0);
};
// Whatever else goes wrong in reading or rewriting (a wasm of another shape): the same.
process.on("uncaughtException", (error) => fail(`unexpected: ${error.message}`));
let glue = readFileSync(gluePath, "utf8");
const wasm = readFileSync(wasmPath);
// `trunk build --release --no-minification`: a glue of many lines, which the patterns
// below do not know; such a build keeps its names (and is larger), nothing else.
if (glue.split("\n").length > 20) {
  console.log("short-names: the glue is not minified (--no-minification?): names left as they are");
  process.exit(0);
}
// The second wasm-opt run must be the one Trunk ran, with its features.
const root = new URL("../", import.meta.url);
const pinned = readFileSync(new URL("Trunk.toml", root), "utf8").match(/^wasm_opt = "version_(\d+)"$/m)?.[1];
let version;
try {
  version = execFileSync("wasm-opt", ["--version"], { encoding: "utf8" }).match(/version (\d+)/)?.[1];
} catch (error) {
  fail(`wasm-opt did not run (${error.message.split("\n")[0]})`);
}
if (!pinned || version !== pinned) fail(`wasm-opt ${version} is not the pinned version_${pinned} (Trunk.toml)`);
const optParams = readFileSync(new URL("index.html", root), "utf8").match(/data-wasm-opt-params="([^"]*)"/)?.[1];
if (optParams === undefined) fail("index.html names no data-wasm-opt-params");

// --- the wasm's binary format, only as far as imports and exports need --------------
let pos = 0;
const u32 = () => {
  let result = 0;
  let shift = 0;
  let byte;
  do {
    byte = wasm[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return result;
};
const name = () => {
  const length = u32();
  const text = wasm.toString("utf8", pos, pos + length);
  pos += length;
  return text;
};
const limits = () => {
  const flags = wasm[pos++];
  u32();
  if (flags & 1) u32();
};
const leb = (value) => {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
};
const encodeName = (text) => {
  const bytes = Buffer.from(text, "utf8");
  return Buffer.concat([leb(bytes.length), bytes]);
};

if (wasm.readUInt32LE(0) !== 0x6d736100) fail(`${wasmPath} is not a wasm module`);
pos = 8;
const sections = [];
while (pos < wasm.length) {
  const id = wasm[pos++];
  const size = u32();
  sections.push({ id, start: pos, end: pos + size });
  pos += size;
}

const imports = [];
const exports = [];
for (const section of sections) {
  pos = section.start;
  if (section.id === 2) {
    for (let n = u32(); n > 0; n--) {
      const module = name();
      const field = name();
      const descStart = pos;
      const kind = wasm[pos++];
      if (kind === 0) u32();
      else if (kind === 1) { pos++; limits(); }
      else if (kind === 2) limits();
      else if (kind === 3) pos += 2;
      else if (kind === 4) { pos++; u32(); }
      else fail(`import ${module}.${field} has an unknown kind ${kind}`);
      imports.push({ module, field, desc: wasm.subarray(descStart, pos) });
    }
  } else if (section.id === 7) {
    for (let n = u32(); n > 0; n--) {
      const field = name();
      const descStart = pos;
      pos++;
      u32();
      exports.push({ field, desc: wasm.subarray(descStart, pos) });
    }
  }
  if ((section.id === 2 || section.id === 7) && pos !== section.end) fail(`section ${section.id} misread`);
}

// --- names -----------------------------------------------------------------------
const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const shortName = (index) => {
  let text = "";
  do {
    text = letters[index % letters.length] + text;
    index = Math.floor(index / letters.length) - 1;
  } while (index >= 0);
  return text;
};
const escape = (text) => text.replace(/[$]/g, "\\$");
const count = (pattern) => (glue.match(pattern) || []).length;
// Every use of an export is `wasm.name` in this glue; any other way of reaching the
// exports would be missed below, so it stops the build.
if (/\bwasm\[|\}=wasm\b/.test(glue)) fail("the glue reaches the wasm's exports other than as wasm.name");
if ([...imports, ...exports].some((entry) => /^[a-zA-Z]{1,2}$/.test(entry.field))) {
  fail("a name is already as short as the new ones");
}

// The glue's one import object: `{__proto__:null,"./x_bg.js":{__proto__:null,name:…`.
const modules = [...new Set(imports.map((entry) => entry.module))];
if (modules.length !== 1) fail(`expected one import module, found ${modules.join(", ")}`);
const moduleKey = `${JSON.stringify(modules[0])}:`;
if (glue.split(moduleKey).length !== 2) fail(`the glue does not name the import module ${moduleKey} exactly once`);
glue = glue.replace(moduleKey, `"w":`);
imports.forEach((entry, index) => {
  const short = shortName(index);
  const key = new RegExp(`(?<=[{,])${escape(entry.field)}(?=:)`, "g");
  const found = count(key);
  if (found !== 1) fail(`import ${entry.field} appears ${found} times as a key in the glue`);
  glue = glue.replace(key, short);
  entry.module = "w";
  entry.field = short;
});

// Exports the widget never uses: wasm-streams' classes, and whatever the glue never names.
const unused = /^(__wbg_)?intounderlying/;
const kept = [];
for (const entry of exports) {
  const uses = count(new RegExp(`\\bwasm\\.${escape(entry.field)}\\b`, "g"));
  if (unused.test(entry.field) || uses === 0) continue;
  kept.push(entry);
}
// `memory` keeps its name: the glue's start resolves to the wasm's exports, and the
// memory checks of the tests and the benchmark read `exports.memory`.
kept.filter((entry) => entry.field !== "memory").forEach((entry, index) => {
  const short = shortName(index);
  glue = glue.replace(new RegExp(`\\bwasm\\.${escape(entry.field)}\\b`, "g"), `wasm.${short}`);
  entry.field = short;
});

// The stream classes' glue: `export class IntoUnderlyingX{…}Symbol.dispose&&(…);` and
// their `IntoUnderlyingXFinalization=…` registries, each checked gone afterwards.
const removeAll = (pattern, expected, what) => {
  const found = count(pattern);
  if (found !== expected) fail(`${what}: ${found} in the glue, ${expected} expected`);
  glue = glue.replace(pattern, "");
};
// Each class from its `export class` to its own `Symbol.dispose` line (a backreference:
// a class without one fails the count instead of taking the next class with it).
removeAll(
  /export class (IntoUnderlying\w+)\{.*?\}\}Symbol\.dispose&&\(\1\.prototype\[Symbol\.dispose\]=\1\.prototype\.free\);/g,
  3,
  "wasm-streams' classes",
);
removeAll(
  /,IntoUnderlying\w+Finalization="u"<typeof FinalizationRegistry\?\{register:\(\)=>\{\},unregister:\(\)=>\{\}\}:new FinalizationRegistry\(e=>wasm\.__wbg_intounderlying\w+_free\(e,1\)\)/g,
  3,
  "their finalization registries",
);
glue = glue.replace(/\blet __wbindgen_enum_ReadableStreamType=\["bytes"\],/, "let ");
if (/intounderlying|ReadableStreamType/i.test(glue)) fail("wasm-streams' classes are still named in the glue");

// The glue's own wrappers of the closures' exports keep wasm-bindgen's mangled names
// (`wasm_bindgen_32e42…___convert__closures_____invoke___…`): local functions, renamed
// as JavaScript names (`_c0`, …) where the minifier left them.
const wrappers = [...new Set([...glue.matchAll(/\bfunction (wasm_bindgen_\w+)\(/g)].map((match) => match[1]))];
wrappers.forEach((name, index) => {
  const short = `_c${index}`;
  if (new RegExp(`\\b${short}\\b`).test(glue)) fail(`${short} is already a name in the glue`);
  if (new RegExp(`export\\s*\\{[^}]*\\b${name}\\b`).test(glue)) fail(`${name} is exported`);
  glue = glue.replace(new RegExp(`\\b${name}\\b`, "g"), short);
});
if (/[0-9a-f]{15,}/.test(glue)) fail("a hashed name is left in the glue");
const left = glue.match(/\bwasm\.(?!(?:[a-zA-Z]{1,2}|memory)\b)[\w$]+/g);
if (left) fail(`the glue still names ${[...new Set(left)].join(", ")}`);

// --- write ---------------------------------------------------------------------------
const section = (id, entries, encode) => {
  const body = Buffer.concat([leb(entries.length), ...entries.map(encode)]);
  return Buffer.concat([Buffer.from([id]), leb(body.length), body]);
};
const parts = [wasm.subarray(0, 8)];
for (const { id, start, end } of sections) {
  if (id === 2) {
    parts.push(section(2, imports, (e) => Buffer.concat([encodeName(e.module), encodeName(e.field), e.desc])));
  } else if (id === 7) {
    parts.push(section(7, kept, (e) => Buffer.concat([encodeName(e.field), e.desc])));
  } else {
    parts.push(Buffer.concat([Buffer.from([id]), leb(end - start), wasm.subarray(start, end)]));
  }
}
// The code only dropped exports reached goes, with the producers and target-features
// sections wasm-bindgen has read (the same features as Trunk's wasm-opt run). Both
// files are written only once that has succeeded.
const work = mkdtempSync(join(tmpdir(), "short-names-"));
let optimized;
let refused;
try {
  writeFileSync(join(work, "renamed.wasm"), Buffer.concat(parts));
  execFileSync("wasm-opt", [
    "-Oz", "--strip-producers", "--strip-target-features",
    ...optParams.split(/\s+/).filter(Boolean),
    join(work, "renamed.wasm"), "-o", join(work, "optimized.wasm"),
  ], { stdio: ["ignore", "ignore", "pipe"] });
  optimized = readFileSync(join(work, "optimized.wasm"));
} catch (error) {
  refused = String(error.stderr || error.message).split("\n")[0];
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (refused !== undefined) fail(`wasm-opt failed on the renamed wasm (${refused})`);
writeFileSync(wasmPath, optimized);
writeFileSync(gluePath, glue);
console.log(`short-names: ${imports.length} imports and ${kept.length - 1} exports renamed (memory kept), ${exports.length - kept.length} exports dropped`);
