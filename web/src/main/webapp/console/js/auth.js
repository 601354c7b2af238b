// The signed-in token: in sessionStorage only (gone with the tab; never a cookie or localStorage).
// Its payload is decoded here only to show who is signed in and to decide which actions to offer;
// the server checks the token and the roles on every call anyway.

const KEY = 'arbor.console.token';
const ROLES = ['arbor-reader', 'arbor-writer', 'arbor-admin'];

export function token() {
  return sessionStorage.getItem(KEY);
}

export function signIn(text) {
  const value = text.trim().replace(/^Bearer\s+/i, '');
  const claims = decode(value);
  if (!claims) throw new Error('That is not a JWT: expected three base64url parts separated by dots.');
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now()) {
    throw new Error('That token has expired; mint a new one.');
  }
  sessionStorage.setItem(KEY, value);
  return claims;
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

const REASON_KEY = 'arbor.console.signin-reason';

/** Why the user must sign in again (a refused token's problem detail), for the sign-in page. */
export function setSignInReason(text) {
  sessionStorage.setItem(REASON_KEY, text);
}

/** The reason set by setSignInReason, once (null when none). */
export function takeSignInReason() {
  const text = sessionStorage.getItem(REASON_KEY);
  sessionStorage.removeItem(REASON_KEY);
  return text;
}

function decode(jwt) {
  const parts = (jwt || '').split('.');
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

/** The signed-in token's claims, or null. */
export function claims() {
  return decode(token());
}

/** The highest of Arbor's roles the token's groups hold ("arbor-admin" > writer > reader), or null. */
function level() {
  const groups = (claims() || {}).groups;
  if (!Array.isArray(groups)) return -1;
  return Math.max(-1, ...groups.map((g) => ROLES.indexOf(g)));
}

/** Whether the token's groups grant role (each role grants the ones before it: docs/security.md). */
export function hasRole(role) {
  return level() >= ROLES.indexOf(role);
}

export function isAdmin() {
  return hasRole('arbor-admin');
}

/** "subject (tenant t, role)" for the header. */
export function who() {
  const c = claims();
  if (!c) return '';
  const role = level() >= 0 ? ROLES[level()] : 'no Arbor role';
  return (c.sub || c.upn || 'unknown') + ' · tenant ' + (c.tenant || 'default') + ' · ' + role;
}
