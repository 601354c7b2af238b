// Calls to Arbor's API (and /health, /metrics) with the signed-in token. A problem+json answer
// becomes an ApiError carrying the problem; a 401 sends the user to sign-in with its detail.
import * as auth from './auth.js';
import { withQuery } from './dom.js';
import { parse } from './json.js';

export { withQuery };

export const API = '/arbor/api';

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || 'HTTP ' + status);
    this.status = status;
    this.problem = problem;
  }
}

let onUnauthorized = () => {};

/** What to do on a 401: main.js sends the user to the sign-in page with the message. */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

export function headers(extra) {
  const h = new Headers(extra || {});
  const t = auth.token();
  if (t) h.set('Authorization', 'Bearer ' + t);
  return h;
}

/** Turns a non-2xx answer into an ApiError (401: also tells main.js). */
export async function check(response) {
  if (response.ok) return response;
  let problem = null;
  try {
    problem = await response.json();
  } catch {
    problem = null;
  }
  const error = new ApiError(response.status, problem);
  if (response.status === 401) onUnauthorized(error.message);
  throw error;
}

async function call(method, url, body, signal) {
  const init = { method, headers: headers({ Accept: 'application/json' }), signal };
  if (body !== undefined) {
    init.headers.set('Content-Type', 'application/json');
    init.body = JSON.stringify(body);
  }
  const response = await check(await fetch(url, init));
  return response.status === 204 ? null : parse(await response.text());
}

/** GET /arbor/api + path, as JSON. */
export function get(path, query, signal) {
  return call('GET', withQuery(API + path, query), undefined, signal);
}

export function post(path, body) {
  return call('POST', API + path, body === undefined ? {} : body);
}

/** A service endpoint outside the API (/health/ready, /metrics: they need no token, so none is sent), as text; any status. */
export async function serviceText(path, signal) {
  const response = await fetch(path, { signal });
  return { status: response.status, text: await response.text() };
}

/** A path segment, encoded. */
export function seg(value) {
  return encodeURIComponent(value);
}
