// Schema registry: the event types (GET /schemas), and per type its versions with their schemas,
// its compatibility mode, its upcasters, and a diff between two versions' schemas.
import * as api from '../api.js';
import { definitionList, el, field, replaceChildren, route, table } from '../dom.js';
import { diff, jsonBlock } from '../json.js';
import { heading, showError } from '../ui.js';

export function render(main, { parts }) {
  return parts[1] === undefined ? renderTypes(main) : renderType(main, parts[1]);
}

function renderTypes(main) {
  const result = el('div');
  main.append(heading('Schema registry'), result);
  (async () => {
    try {
      const { types } = await api.get('/schemas');
      replaceChildren(
        result,
        types.length === 0
          ? el('p', null, 'No event type is registered yet.')
          : table(
              'Event types',
              ['Type', 'Latest version', 'Compatibility'],
              types.map((t) => [
                el('a', { href: route('registry', t.type) }, t.type),
                t.latestVersion === null || t.latestVersion === undefined ? '—' : String(t.latestVersion),
                t.compatibility,
              ]),
            ),
      );
    } catch (error) {
      showError(result, error);
    }
  })();
}

function upcasterText(step) {
  const head = 'v' + step.fromVersion + ' → v' + step.toVersion + ' (' + step.kind + ')';
  return step.kind === 'java' ? [head + ': ', el('code', null, step.class)] : [head, jsonBlock(step.operations)];
}

function renderType(main, type) {
  const result = el('div');
  main.append(heading('Event type ' + type), el('p', null, el('a', { href: route('registry') }, 'All event types')), result);
  (async () => {
    try {
      const path = '/schemas/' + api.seg(type);
      const state = await api.get(path);
      const schemas = new Map();
      await Promise.all(
        state.versions.map(async (v) => {
          schemas.set(v, (await api.get(path + '/versions/' + v)).schema);
        }),
      );
      const from = versionSelect(state.versions, Math.max(1, state.versions.length - 1));
      const to = versionSelect(state.versions, state.versions.length);
      const output = el('pre', { class: 'diff', 'aria-label': 'Differences', 'aria-live': 'polite' });
      function compare(e) {
        if (e) e.preventDefault();
        const lines = diff(schemas.get(Number(from.value)), schemas.get(Number(to.value)));
        replaceChildren(
          output,
          lines.length === 0
            ? 'No differences between version ' + from.value + ' and version ' + to.value + '.'
            : lines.map((line) => el('span', { class: line.startsWith('+') ? 'added' : line.startsWith('-') ? 'removed' : 'changed' }, line + '\n')),
        );
      }
      replaceChildren(
        result,
        definitionList([
          ['Type', state.type],
          ['Compatibility', state.compatibility],
          ['Latest version', state.latestVersion === null ? null : String(state.latestVersion)],
        ], { class: 'facts', 'aria-label': 'Event type' }),
        state.versions.length === 0
          ? el('p', null, 'No schema version is registered.')
          : table('Versions', ['Version', 'Schema'], state.versions.map((v) => [String(v), jsonBlock(schemas.get(v))]), { class: 'versions' }),
        el('h2', null, 'Upcasters'),
        state.upcasters.length === 0
          ? el('p', null, 'No upcaster is registered.')
          : el('ul', { class: 'upcasters' }, state.upcasters.map((s) => el('li', null, upcasterText(s)))),
        el('h2', null, 'Compare versions'),
        state.versions.length < 1
          ? el('p', null, 'Nothing to compare yet.')
          : [
              el('form', { class: 'compare', on: { submit: compare } }, field('From version', from), field('To version', to), el('button', { type: 'submit' }, 'Compare')),
              output,
            ],
      );
      from.addEventListener('change', () => compare());
      to.addEventListener('change', () => compare());
      if (state.versions.length > 0) compare();
    } catch (error) {
      showError(result, error);
    }
  })();
}

function versionSelect(versions, selected) {
  return el('select', null, versions.map((v) => el('option', { value: String(v), selected: v === selected }, 'Version ' + v)));
}

