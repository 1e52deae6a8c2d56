// Where the wasm's bytes go: function body sizes from the code section, named by the
// name section, grouped by crate. Usage: node bench/wasm-sizes.mjs file.wasm [top]
import { readFileSync } from "node:fs";

const bytes = readFileSync(process.argv[2]);
const top = Number(process.argv[3] || 40);
let pos = 8;
const u32 = () => {
  let result = 0, shift = 0, byte;
  do { byte = bytes[pos++]; result |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
  return result >>> 0;
};
let importedFuncs = 0;
const bodies = [];
const names = new Map();
const sections = {};
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = u32();
  const end = pos + size;
  if (id === 2) {
    for (let n = u32(); n > 0; n--) {
      pos += u32(); pos += u32(); // module, field
      const kind = bytes[pos++];
      if (kind === 0) { u32(); importedFuncs++; }
      else if (kind === 1) { pos++; const f = bytes[pos++]; u32(); if (f & 1) u32(); }
      else if (kind === 2) { const f = bytes[pos++]; u32(); if (f & 1) u32(); }
      else if (kind === 3) { pos += 2; }
      else if (kind === 4) { pos++; u32(); }
    }
  } else if (id === 10) {
    for (let n = u32(), i = 0; i < n; i++) { const len = u32(); bodies.push(len); pos += len; }
  } else if (id === 0) {
    const nameLen = u32();
    const name = bytes.subarray(pos, pos + nameLen).toString();
    pos += nameLen;
    if (name === "name") {
      while (pos < end) {
        const sub = bytes[pos++];
        const subSize = u32();
        const subEnd = pos + subSize;
        if (sub === 1) {
          for (let n = u32(); n > 0; n--) {
            const index = u32();
            const len = u32();
            names.set(index, bytes.subarray(pos, pos + len).toString());
            pos += len;
          }
        }
        pos = subEnd;
      }
    }
  }
  sections[id] = (sections[id] || 0) + size;
  pos = end;
}
const rows = bodies.map((size, i) => ({ size, name: names.get(i + importedFuncs) || `func${i + importedFuncs}` }));
// The first path segment of a legacy-mangled name (_ZN<len><segment>…), or of a
// demangled "<impl …>" path: close enough to tell crates apart.
const crate = (name) => {
  let m = name.match(/^_ZN(\d+)/);
  if (m) {
    const start = 3 + m[1].length;
    let seg = name.slice(start, start + Number(m[1]));
    const inner = seg.match(/^_\$LT\$([a-z_][a-z0-9_]*)\.\./);
    if (inner) seg = inner[1];
    return seg;
  }
  m = name.match(/^_R.*?C[sa-zA-Z0-9_]*?\d+([a-z_][a-z0-9_]+)/);
  if (m) return m[1];
  if (name.startsWith("__wbindgen") || name.startsWith("__wbg")) return "(wasm-bindgen)";
  return "(other)";
};
const byCrate = new Map();
for (const r of rows) byCrate.set(crate(r.name), (byCrate.get(crate(r.name)) || 0) + r.size);
const total = bodies.reduce((a, b) => a + b, 0);
console.log(`file ${bytes.length} B; code ${total} B in ${bodies.length} functions; data ${sections[11] || 0} B`);
console.log("\nby crate:");
for (const [c, s] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${String(s).padStart(8)}  ${c}`);
console.log(`\ntop ${top} functions:`);
for (const r of rows.sort((a, b) => b.size - a.size).slice(0, top)) console.log(`${String(r.size).padStart(8)}  ${r.name.slice(0, 150)}`);
