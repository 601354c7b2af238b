// JSON shown as text: pretty-printed into a <pre> through dom.js (textContent), never as markup.
import { el } from './dom.js';

// JSON.parse turns every number into a double: 12345678901234567890 would come back as
// 12345678901234567000, 1.10 as 1.1, 1e400 as Infinity (null when printed). Where the browser
// gives a reviver the source text (Chromium 114+), such a number is kept as JSON.rawJSON(text),
// which JSON.stringify writes back verbatim; numbers a double holds exactly stay plain numbers.
const keepsSource = typeof JSON.rawJSON === 'function';

function keepNumberText(key, value, context) {
  if (typeof value !== 'number' || !context || context.source === undefined) return value;
  return JSON.stringify(value) === context.source ? value : JSON.rawJSON(context.source);
}

/** Parses JSON text, each number whose text a double would change kept as its source text. */
export function parse(text) {
  return keepsSource ? JSON.parse(text, keepNumberText) : JSON.parse(text);
}

/** A number kept as its source text by parse(). */
function isRawNumber(value) {
  return keepsSource && JSON.isRawJSON(value);
}

export function pretty(value) {
  return JSON.stringify(value === undefined ? null : value, null, 2);
}

/** A <pre> holding value as pretty JSON text (its context, a column or a heading, names it). */
export function jsonBlock(value) {
  return el('pre', { class: 'json' }, pretty(value));
}

/** Every leaf of a JSON value as "path → value text" (objects and arrays walked), for diffs. */
export function leaves(value, path = '', out = new Map()) {
  if (value !== null && typeof value === 'object' && !isRawNumber(value)) {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    if (entries.length === 0) out.set(path || '/', JSON.stringify(value));
    for (const [key, child] of entries) leaves(child, path + '/' + key, out);
  } else {
    out.set(path || '/', JSON.stringify(value));
  }
  return out;
}

/** The differences between two JSON values, one line per changed leaf: "+ ", "- " or "~ ". */
export function diff(from, to) {
  const a = leaves(from);
  const b = leaves(to);
  const lines = [];
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const path of paths) {
    if (!b.has(path)) lines.push('- ' + path + ': ' + a.get(path));
    else if (!a.has(path)) lines.push('+ ' + path + ': ' + b.get(path));
    else if (a.get(path) !== b.get(path)) lines.push('~ ' + path + ': ' + a.get(path) + ' → ' + b.get(path));
  }
  return lines;
}
