// The only way the console builds DOM. Text always goes in through textContent (a text node),
// never through innerHTML, insertAdjacentHTML or document.write: event data is untrusted, and an
// event whose data holds "<script>" or "javascript:" must show as those characters.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A console route ("#/streams/x"): the only kind of href the console ever sets. */
export function route(...parts) {
  return '#/' + parts.map((p) => encodeURIComponent(String(p))).join('/');
}

/** A path (an API path or a route) with a query string; empty and absent values are left out. */
export function withQuery(path, query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? path + '?' + text : path;
}

/** A route with a query string, e.g. routeWithQuery(['streams'], {prefix: 'a'}). */
export function routeWithQuery(parts, query) {
  return withQuery(route(...parts), query);
}

function setAttributes(node, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    } else if (name === 'href') {
      if (typeof value !== 'string' || !value.startsWith('#/')) {
        throw new Error('dom.js: an href must be a console route');
      }
      node.setAttribute('href', value);
    } else if (name === 'value') {
      node.value = String(value);
    } else if (name === 'checked' || name === 'selected' || name === 'disabled') {
      node[name] = true;
    } else if (name === 'style' || name === 'innerHTML' || name === 'outerHTML' || name.startsWith('on')) {
      // Inline styles break the CSP (style-src 'self'); markup and handlers as text are never allowed.
      throw new Error('dom.js: attribute ' + name + ' is not allowed');
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An HTML element: el('a', {href: route('streams')}, 'Streams'). Strings become text nodes. */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttributes(node, attrs);
  append(node, children);
  return node;
}

/** An SVG element, for the charts. */
export function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttributes(node, attrs);
  append(node, children);
  return node;
}

/** Replaces every child of node with children. */
export function replaceChildren(node, ...children) {
  const focused = node.contains(document.activeElement) ? document.activeElement : null;
  const key = focused && focusKey(focused);
  node.replaceChildren();
  append(node, children);
  // A redraw (a refresh, a new page) must not throw the keyboard focus away: focus the new
  // element that stands where the focused one stood (same tag, name, link and text), if any.
  if (key) {
    const again = [...node.querySelectorAll(focused.tagName)].find((candidate) => focusKey(candidate) === key);
    if (again) again.focus({ preventScroll: true });
  }
  return node;
}

function focusKey(element) {
  return [element.tagName, element.getAttribute('href'), element.getAttribute('aria-label'), element.textContent].join('\u0000');
}

/** A labelled form control: a <label for> and the control, in a div. */
export function field(label, control) {
  const id = control.id || 'f-' + label.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  control.id = id;
  return el('div', { class: 'field' }, el('label', { for: id }, label), control);
}

/** A one-line text box for ids and names (no autocomplete, no spell check). */
export function textInput(name, value) {
  return el('input', { type: 'text', name, value: value || '', autocomplete: 'off', spellcheck: 'false' });
}

/** A search form (role=search, named label): labelled fields, then a submit button. */
export function searchForm(label, onSubmit, button, ...fields) {
  return el(
    'form',
    { class: 'filters', role: 'search', 'aria-label': label, on: { submit: (e) => (e.preventDefault(), onSubmit()) } },
    fields,
    el('button', { type: 'submit' }, button),
  );
}

/** A <dl> from [term, description] pairs; a description may be a node or text. */
export function definitionList(pairs, attrs) {
  return el(
    'dl',
    attrs,
    pairs.filter(([, d]) => d !== undefined).map(([term, description]) => [
      el('dt', null, term),
      el('dd', null, description === null ? '—' : description),
    ]),
  );
}

/**
 * A <table> with a caption, column headers and rows (each row an array of cells, or a <tr>), in a
 * horizontally scrollable region (narrow windows) that the keyboard can reach and scroll.
 */
export function table(caption, columns, rows, attrs) {
  return el(
    'div',
    { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': caption + ' table' },
    el(
      'table',
      attrs,
      el('caption', null, caption),
      el('thead', null, el('tr', null, columns.map((c) => el('th', { scope: 'col' }, c)))),
      el('tbody', null, rows.map((r) => (r instanceof Node ? r : el('tr', null, r.map((c) => el('td', null, c)))))),
    ),
  );
}
