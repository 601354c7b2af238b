// Store health: readiness from /health/ready, and four charts from /metrics (Prometheus text),
// sampled every few seconds while the page is open: append rate, append latency, cache hit ratio
// and connection pool use. Rates and means are over each sampling interval.
import * as api from '../api.js';
import { chartFigure } from '../charts.js';
import { el, replaceChildren } from '../dom.js';
import { errorMessage, heading, notice } from '../ui.js';

const EVERY_MS = 3000;
const SAMPLES = 60;

/** Prometheus text → [{name, labels, value}] (comments and malformed lines skipped). */
function parseMetrics(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    for (const pair of (m[3] || '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2];
    out.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return out;
}

/** The sum of every series named name whose labels include match. */
function total(metrics, name, match = {}) {
  let sum = 0;
  let found = false;
  for (const m of metrics) {
    if (m.name !== name || !Number.isFinite(m.value)) continue;
    if (Object.entries(match).every(([k, v]) => m.labels[k] === v)) {
      sum += m.value;
      found = true;
    }
  }
  return found ? sum : null;
}

/** What one /metrics answer says, as cumulative counters and gauges. */
function reading(metrics) {
  return {
    at: Date.now(),
    appended: total(metrics, 'arbor_events_appended_total'),
    latencySum: total(metrics, 'arbor_append_latency_microseconds_sum'),
    latencyCount: total(metrics, 'arbor_append_latency_microseconds_count'),
    hits: total(metrics, 'arbor_cache_hits_total', { cache: 'events' }),
    misses: total(metrics, 'arbor_cache_misses_total', { cache: 'events' }),
    // server-config/metrics.xml: the pool's gauges, sampled by Payara's health-check service.
    poolUsed: total(metrics, 'jdbc_pool_numconnused', { pool: 'arbor-pool' }),
    poolFree: total(metrics, 'jdbc_pool_numconnfree', { pool: 'arbor-pool' }),
  };
}

/**
 * A counter's growth since the previous reading. /metrics is one instance's: behind a load
 * balancer (or after a restart) the next reading may come from another, so a counter that went
 * down gives no figure rather than a negative one.
 */
function delta(now, before, key) {
  if (now[key] === null || before[key] === null || now[key] < before[key]) return null;
  return now[key] - before[key];
}

/**
 * The four plotted figures: append rate and mean latency over the interval since the previous
 * reading (none before the second), the events cache's hit ratio since the server started, and
 * the share of the pool's open connections in use.
 */
function figures(now, before) {
  const seconds = before ? (now.at - before.at) / 1000 : 0;
  const appended = before ? delta(now, before, 'appended') : null;
  const count = before ? delta(now, before, 'latencyCount') : null;
  const sum = before ? delta(now, before, 'latencySum') : null;
  const lookups = now.hits === null || now.misses === null ? 0 : now.hits + now.misses;
  const open = now.poolUsed === null || now.poolFree === null ? 0 : now.poolUsed + now.poolFree;
  return {
    rate: appended === null || seconds <= 0 ? null : appended / seconds,
    latency: count ? sum / count / 1000 : null,
    hitRatio: lookups ? now.hits / lookups : null,
    poolUse: open ? now.poolUsed / open : null,
    poolText: open ? now.poolUsed + ' of ' + open + ' open connections' : null,
  };
}

function percent(values) {
  return values.map((v) => (v === null ? null : v * 100));
}

function format(value, unit, digits = 1) {
  return value === null || value === undefined ? 'no data yet' : value.toFixed(digits) + unit;
}

export function render(main) {
  const readiness = el('div', { class: 'readiness' });
  const charts = el('div', { class: 'charts' });
  const updated = notice();
  const problems = el('div', { class: 'alert-slot' });
  main.append(
    heading('Store health'),
    readiness,
    el('h2', null, 'Load'),
    el('p', null, 'Figures for the whole server instance answering /metrics (every tenant), not only yours.'),
    updated,
    problems,
    charts,
  );

  const series = { rate: [], latency: [], hitRatio: [], poolUse: [] };
  let before = null;
  let timer = null;
  const abort = new AbortController();

  async function sample() {
    try {
      const [ready, metrics] = await Promise.all([
        api.serviceText('/health/ready', abort.signal),
        api.serviceText('/metrics', abort.signal),
      ]);
      showReadiness(ready);
      if (metrics.status !== 200) throw new Error('/metrics answered HTTP ' + metrics.status);
      const now = reading(parseMetrics(metrics.text));
      const f = figures(now, before);
      before = now;
      for (const key of Object.keys(series)) {
        series[key].push(f[key]);
        if (series[key].length > SAMPLES) series[key].shift();
      }
      replaceChildren(
        charts,
        chartFigure('Append rate', series.rate, SAMPLES, format(f.rate, ' events/s')),
        chartFigure('Append latency', series.latency, SAMPLES, f.latency === null ? 'no appends lately' : format(f.latency, ' ms mean', 2)),
        chartFigure('Cache hit ratio', percent(series.hitRatio), SAMPLES, format(f.hitRatio === null ? null : f.hitRatio * 100, ' % since start'), 100),
        chartFigure('Connection pool use', percent(series.poolUse), SAMPLES, f.poolText || 'no data yet', 100),
      );
      replaceChildren(problems);
      updated.textContent = 'Sampled every ' + EVERY_MS / 1000 + ' s; last at ' + new Date(now.at).toLocaleTimeString() + '.';
    } catch (error) {
      if (error.name === 'AbortError') return;
      replaceChildren(problems, errorMessage(error));
    }
    if (!abort.signal.aborted) timer = setTimeout(sample, EVERY_MS);
  }

  function showReadiness({ status, text }) {
    let health = null;
    try {
      health = JSON.parse(text);
    } catch {
      health = null;
    }
    const overall = health && health.status ? health.status : 'HTTP ' + status;
    const checks = health && Array.isArray(health.checks) ? health.checks : [];
    replaceChildren(
      readiness,
      el('p', null, 'Readiness: ', el('span', { class: overall === 'UP' ? 'status-up' : 'status-down' }, overall)),
      el('ul', { class: 'checks' }, checks.map((c) => el('li', null, String(c.name) + ': ', el('span', { class: c.status === 'UP' ? 'status-up' : 'status-down' }, String(c.status))))),
    );
  }

  sample();
  return () => {
    abort.abort();
    clearTimeout(timer);
  };
}
