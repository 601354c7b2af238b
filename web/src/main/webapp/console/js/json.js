// JSON shown as text: pretty-printed into a <pre> through dom.js (textContent), never as markup.
import { el } from './dom.js';

export function pretty(value) {
  return JSON.stringify(value === undefined ? null : value, null, 2);
}

/** A <pre> holding value as pretty JSON text (its context, a column or a heading, names it). */
export function jsonBlock(value) {
  return el('pre', { class: 'json' }, pretty(value));
}

/** Every leaf of a JSON value as "path → value text" (objects and arrays walked), for diffs. */
export function leaves(value, path = '', out = new Map()) {
  if (value !== null && typeof value === 'object') {
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
