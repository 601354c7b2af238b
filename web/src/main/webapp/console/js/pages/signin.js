// Sign-in: paste a token. It is kept in sessionStorage (auth.js) until sign-out or the tab closes.
import * as auth from '../auth.js';
import { el, field, replaceChildren } from '../dom.js';
import { errorMessage, heading } from '../ui.js';

export function render(main, { query }) {
  const alert = el('div', { class: 'alert-slot' });
  const reason = auth.takeSignInReason();
  if (reason) replaceChildren(alert, errorMessage(new Error(reason)));
  const token = el('textarea', { id: 'token', name: 'token', rows: '5', required: true, autocomplete: 'off', spellcheck: 'false' });
  const form = el(
    'form',
    { class: 'signin', on: { submit: submit } },
    field('Token', token),
    el('button', { type: 'submit' }, 'Sign in'),
  );
  function submit(e) {
    e.preventDefault();
    try {
      auth.signIn(token.value);
    } catch (error) {
      replaceChildren(alert, errorMessage(error));
      token.focus();
      return;
    }
    const next = query.get('next');
    location.hash = next && next.startsWith('#/') && !next.startsWith('#/signin') ? next : '#/streams';
  }
  main.append(
    heading('Sign in'),
    el('p', null, 'Paste a bearer token (a JWT). For a development server, mint one with:'),
    el('pre', { class: 'command' }, 'bin/arbor token --groups arbor-admin'),
    el('p', null, 'The token stays in this tab only (session storage) and is sent to the API with every call; signing out or closing the tab forgets it.'),
    alert,
    form,
  );
  token.focus();
}
