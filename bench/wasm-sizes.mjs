// Where the wasm's bytes go: function bodies from the code section, named by the name
// section, grouped by crate and by module ("function group"), each group also
// compressed alone (brotli 11) to show what it costs on the wire.
// Usage: node bench/wasm-sizes.mjs file.wasm [top]
// Give it a module that still has its names: `scripts/bench.sh` runs wasm-opt with the
// release settings plus -g on wasm-bindgen's output, so sizes are the shipped ones.
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";

const bytes = readFileSync(process.argv[2]);
const top = Number(process.argv[3] || 30);
let pos = 8;
const u32 = () => {
  let result = 0, shift = 0, byte;
  do { byte = bytes[pos++]; result |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
  return result >>> 0;
};
// Read a length before adding it: `pos += u32()` would add to the old position.
const skip = () => { const length = u32(); pos += length; };
const limits = () => { const flags = bytes[pos++]; u32(); if (flags & 1) u32(); };
let importedFuncs = 0;
const bodies = [];
const names = new Map();
const sections = {};
let data = bytes.subarray(0, 0);
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = u32();
  const end = pos + size;
  if (id === 2) {
    for (let n = u32(); n > 0; n--) {
      skip(); skip(); // module, field
      const kind = bytes[pos++];
      if (kind === 0) { u32(); importedFuncs++; }
      else if (kind === 1) { pos++; limits(); }
      else if (kind === 2) limits();
      else if (kind === 3) pos += 2;
      else if (kind === 4) { pos++; u32(); }
    }
  } else if (id === 10) {
    for (let n = u32(); n > 0; n--) {
      const length = u32();
      bodies.push(bytes.subarray(pos, pos + length));
      pos += length;
    }
  } else if (id === 11) {
    data = bytes.subarray(pos, end);
  } else if (id === 0) {
    const nameLength = u32();
    const name = bytes.subarray(pos, pos + nameLength).toString();
    pos += nameLength;
    if (name === "name") {
      while (pos < end) {
        const sub = bytes[pos++];
        const subSize = u32();
        const subEnd = pos + subSize;
        if (sub === 1) {
          for (let n = u32(); n > 0; n--) {
            const index = u32();
            const length = u32();
            names.set(index, bytes.subarray(pos, pos + length).toString());
            pos += length;
          }
        }
        pos = subEnd;
      }
    }
  }
  sections[id] = (sections[id] || 0) + size;
  pos = end;
}

// Legacy-mangled names (_ZN<len><segment>…17h<hash>E) to a readable path.
const demangle = (name) => {
  if (!name.startsWith("_ZN")) return name;
  const parts = [];
  let at = 3;
  while (at < name.length && name[at] !== "E") {
    const digits = name.slice(at).match(/^\d+/);
    if (!digits) break;
    at += digits[0].length;
    parts.push(name.slice(at, at + Number(digits[0])));
    at += Number(digits[0]);
  }
  return parts
    .filter((part) => !/^h[0-9a-f]{16}$/.test(part))
    .join("::")
    .replace(/^_/, "")
    .replace(/\$LT\$/g, "<").replace(/\$GT\$/g, ">").replace(/\$u20\$/g, " ")
    .replace(/\$RF\$/g, "&").replace(/\$C\$/g, ",").replace(/\$LP\$/g, "(").replace(/\$RP\$/g, ")")
    .replace(/\$u7b\$/g, "{").replace(/\$u7d\$/g, "}").replace(/\$BP\$/g, "*").replace(/\.\./g, "::");
};

// The path a function belongs to. `<A as B>::f` counts for A when A is a path (a
// component's closure rendering itself is the component's cost, a Display impl of a
// widget type the widget's), else for the trait B (`<_ as IntoAny>`); `<A>::f` for A.
// v0-mangled names (nightly, build-std) are demangled with crate hashes in brackets.
const path = (name) => {
  let readable = demangle(name).replace(/\[[0-9a-f]{16}\]/g, "");
  if (readable.startsWith("_R")) {
    const crate = readable.match(/C[sa-zA-Z0-9_]*?_?\d+([a-z_][a-z0-9_]+)/);
    return crate ? crate[1] : "(other)";
  }
  const pathAt = (text) => text.match(/^[a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)*/)?.[0];
  const qualified = readable.match(/^<&?(?:mut )?(?:dyn )?([^<>]*?(?:<.*?>)?) as ([a-z_][\w:]*)/);
  if (qualified) return pathAt(qualified[1]) && qualified[1].includes("::") ? pathAt(qualified[1]) : qualified[2];
  readable = readable.replace(/^<+&?(?:mut )?(?:dyn )?/, "");
  if (/^__wbg|^__wbindgen|^wasm_bindgen/.test(readable)) return "wasm_bindgen";
  return pathAt(readable) || "(other)";
};
const crateOf = (p) => p.split("::")[0];
const groupOf = (p) => {
  const segments = p.split("::");
  // A function's own name is not a group: keep the crate and its module (two for
  // the widget's own crate, where the first level is only logic/browser/components).
  const depth = segments[0] === "presence_widget" ? 3 : 2;
  return segments.slice(0, Math.min(depth, Math.max(1, segments.length - 1))).join("::");
};

const rows = bodies.map((body, i) => {
  const name = names.get(i + importedFuncs) || `func${i + importedFuncs}`;
  return { body, size: body.length, name, path: path(name) };
});
const brotli = (buffers) => brotliCompressSync(Buffer.concat(buffers), {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
}).length;
const table = (title, key, limit) => {
  const groups = new Map();
  for (const row of rows) {
    const group = groups.get(key(row.path)) || { size: 0, bodies: [] };
    group.size += row.size;
    group.bodies.push(row.body);
    groups.set(key(row.path), group);
  }
  console.log(`\n| ${title} | functions | code bytes | share | brotli alone |\n|---|---:|---:|---:|---:|`);
  for (const [name, group] of [...groups].sort((a, b) => b[1].size - a[1].size).slice(0, limit)) {
    const share = ((100 * group.size) / codeBytes).toFixed(1);
    console.log(`| ${name} | ${group.bodies.length} | ${group.size} | ${share} % | ${brotli(group.bodies)} |`);
  }
};

const codeBytes = rows.reduce((sum, row) => sum + row.size, 0);
console.log(`file ${bytes.length} B: code ${codeBytes} B in ${rows.length} functions `
  + `(brotli alone ${brotli(rows.map((row) => row.body))}), data ${sections[11] || 0} B `
  + `(brotli alone ${brotli([data])}), imports ${importedFuncs}`);
table("crate", crateOf, 20);
table("function group", groupOf, top);
console.log(`\ntop ${top} functions:`);
for (const row of [...rows].sort((a, b) => b.size - a.size).slice(0, top)) {
  console.log(`${String(row.size).padStart(7)}  ${demangle(row.name).replace(/\[[0-9a-f]{16}\]/g, "").slice(0, 140)}`);
}

