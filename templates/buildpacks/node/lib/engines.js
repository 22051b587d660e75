// Checks package.json's engines.node against the running node: prints one line, a note when it
// matches, a warning naming both versions when not (only the installed node can build and run).
// Usage: node engines.js PACKAGE_JSON
"use strict";
const fs = require("fs");
const want = ((JSON.parse(fs.readFileSync(process.argv[2], "utf8")).engines) || {}).node;
const have = process.version.slice(1).split(".").map(Number);

function parts(v) { // "18", "18.x", "18.2.1" -> [18, null, null], ...
  const p = v.replace(/^v/, "").split(".").slice(0, 3).map((x) => (/^\d+$/.test(x) ? Number(x) : null));
  while (p.length < 3) p.push(null);
  return p;
}
function cmp(a, b) {
  for (let i = 0; i < 3; i++) if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) < (b[i] || 0) ? -1 : 1;
  return 0;
}
function bump(p, i) { // the first version above the wildcard range p at position i
  const out = [p[0] || 0, p[1] || 0, p[2] || 0];
  out[i] += 1;
  for (let j = i + 1; j < 3; j++) out[j] = 0;
  return out;
}
function comparator(c) { // -> [low (inclusive) | null, high (exclusive) | null, exact-op]
  const m = /^(>=|<=|>|<|=|\^|~)?\s*(.*)$/.exec(c);
  const op = m[1] || "", p = parts(m[2]);
  const known = p.findIndex((x) => x === null);
  const fixed = known < 0 ? 3 : known;
  if (m[2] === "*" || m[2] === "x" || m[2] === "") return (v) => true;
  switch (op) {
    case ">=": return (v) => cmp(v, p) >= 0;
    case ">": return (v) => (fixed < 3 ? cmp(v, bump(p, fixed - 1)) >= 0 : cmp(v, p) > 0);
    case "<": return (v) => cmp(v, p) < 0;
    case "<=": return (v) => (fixed < 3 ? cmp(v, bump(p, fixed - 1)) < 0 : cmp(v, p) <= 0);
    case "^": {
      const i = (p[0] || 0) > 0 || fixed < 2 ? 0 : (p[1] || 0) > 0 || fixed < 3 ? 1 : 2;
      return (v) => cmp(v, p) >= 0 && cmp(v, bump(p, i)) < 0;
    }
    case "~": return (v) => cmp(v, p) >= 0 && cmp(v, bump(p, Math.min(fixed - 1, 1))) < 0;
    default: return fixed < 3 ? (v) => cmp(v, p) >= 0 && cmp(v, bump(p, fixed - 1)) < 0 : (v) => cmp(v, p) === 0;
  }
}
function satisfies(range, v) {
  return range.split("||").some((set) => {
    const s = set.trim().replace(/\s*-\s+/, " - ");
    const hy = / - /.exec(s) ? s.split(" - ") : null;
    const comps = hy ? [">=" + hy[0], "<=" + hy[1]] : s.replace(/(>=|<=|>|<|=|\^|~)\s+/g, "$1").split(/\s+/);
    return comps.every((c) => comparator(c)(v));
  });
}

if (want) {
  if (satisfies(want, have)) {
    console.log(`-----> engines.node "${want}": using Node.js ${process.version}`);
  } else {
    console.log(` !     engines.node requests "${want}", but Node.js ${process.version} is the only version installed: using ${process.version}`);
  }
}
