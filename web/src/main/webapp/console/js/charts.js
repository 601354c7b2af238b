// Small hand-made inline SVG charts (no chart library): a sparkline of the last samples, as an
// image with an accessible name and the latest value as text beside it.
import { el, svg } from './dom.js';

const WIDTH = 300;
const HEIGHT = 80;
const PAD = 3; // keeps the line's stroke inside the box at 0 and at the top

/**
 * A sparkline of values (numbers; null for "no sample"), the newest at the right edge of
 * `slots` positions, scaled to [0, max(values, floor)].
 */
export function sparkline(label, values, slots, floor = 1) {
  const known = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  const top = Math.max(floor, ...known) * 1.1;
  const step = WIDTH / Math.max(1, slots - 1);
  const offset = slots - values.length;
  const points = [];
  values.forEach((v, i) => {
    if (typeof v === 'number' && Number.isFinite(v)) {
      points.push([(offset + i) * step, PAD + (1 - v / top) * (HEIGHT - 2 * PAD)]);
    }
  });
  const baseline = HEIGHT - PAD;
  const line = points.map(([x, y], i) => (i === 0 ? 'M' : 'L') + x.toFixed(1) + ' ' + y.toFixed(1)).join(' ');
  const area = points.length > 1
    ? line + ' L' + points[points.length - 1][0].toFixed(1) + ' ' + baseline + ' L' + points[0][0].toFixed(1) + ' ' + baseline + ' Z'
    : '';
  return svg(
    'svg',
    { role: 'img', 'aria-label': label, viewBox: '0 0 ' + WIDTH + ' ' + HEIGHT, preserveAspectRatio: 'none', focusable: 'false' },
    svg('title', null, label),
    area ? svg('path', { class: 'chart-area', d: area }) : null,
    svg('line', { class: 'chart-axis', x1: '0', y1: String(baseline), x2: String(WIDTH), y2: String(baseline) }),
    line ? svg('path', { class: 'chart-line', d: line }) : null,
  );
}

/** A chart in a <figure>: caption (name, latest value as text) and the sparkline. */
export function chartFigure(label, values, slots, valueText, floor) {
  return el(
    'figure',
    { class: 'chart' },
    el('figcaption', null, el('span', null, label), el('span', { class: 'value' }, valueText)),
    sparkline(label, values, slots, floor),
  );
}
