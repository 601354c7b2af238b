// The server side of the console tests: where Arbor is, tokens minted with `bin/arbor token`
// (the development key the test command configured), and data seeded through the REST API.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The server's root: ARBOR_CONSOLE_URL, else http://localhost:$ARBOR_HTTP_PORT (8080). */
export const SERVER_URL = (
  process.env.ARBOR_CONSOLE_URL ?? `http://localhost:${process.env.ARBOR_HTTP_PORT ?? 8080}`
).replace(/\/+$/, '');
export const CONSOLE_PATH = '/arbor/console/';
export const API_PATH = '/arbor/api';

/**
 * A tenant of its own for one test: its streams, log, registry and groups are visible to nothing
 * else (docs/security.md), so a test sees only what it wrote, whatever ran before it.
 */
export function newTenant(label) {
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  return `ct-${label}-${suffix}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63);
}

/** A development token (bin/arbor token), for `groups` (arbor-reader, -writer, -admin). */
export function mintToken({ groups, tenant, subject = 'console-test', ttlSeconds = 3600, key }) {
  const args = ['token', '--groups', groups, '--subject', subject, '--ttl-seconds', String(ttlSeconds)];
  if (tenant) args.push('--tenant', tenant);
  if (key) args.push('--key', key);
  return execFileSync(join(REPO_ROOT, 'bin', 'arbor'), args, { encoding: 'utf8' }).trim();
}

export class ApiError extends Error {
  constructor(method, path, status, body) {
    super(`${method} ${path}: ${status} ${body}`);
    this.status = status;
    this.body = body;
  }
}

/** The REST API as one token sees it. */
export class Api {
  constructor(token) {
    this.token = token;
  }

  /** Sends `bodyText` (JSON text, or undefined for none); answers the answer's body text. */
  async requestText(method, path, bodyText) {
    const response = await fetch(`${SERVER_URL}${API_PATH}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(bodyText === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: bodyText,
    });
    const text = await response.text();
    if (!response.ok) throw new ApiError(method, path, response.status, text);
    return text;
  }

  async request(method, path, body) {
    const text = await this.requestText(method, path, body === undefined ? undefined : JSON.stringify(body));
    return text ? JSON.parse(text) : null;
  }

  get(path) {
    return this.request('GET', path);
  }

  post(path, body) {
    return this.request('POST', path, body);
  }

  put(path, body) {
    return this.request('PUT', path, body);
  }

  /** Appends `events` ({type, data, ...}) to one stream; answers the append's result. */
  append(streamId, events) {
    return this.post(`/streams/${encodeURIComponent(streamId)}/events`, {
      expectedVersion: 'any',
      events: events.map((event) => ({ eventId: randomUUID(), ...event })),
    });
  }

  /** Appends the events to the stream one request each; answers their global positions in order. */
  async appendEach(streamId, events) {
    const positions = [];
    for (const event of events) {
      positions.push((await this.append(streamId, [event])).fromPosition);
    }
    return positions;
  }

  /** Appends to several streams in one request (POST /events): {streamId: [event, ...]}. */
  appendToStreams(eventsByStream) {
    return this.post('/events', {
      streams: Object.entries(eventsByStream).map(([streamId, events]) => ({
        streamId,
        events: events.map((event) => ({ eventId: randomUUID(), ...event })),
      })),
    });
  }

  /** Every event of this tenant's global log, in position order. */
  async allEvents() {
    const events = [];
    for (let after = 0; ; ) {
      const page = await this.get(`/events?after=${after}&limit=1000`);
      events.push(...page.events);
      if (page.events.length === 0 || page.lastPosition === after) return events;
      after = page.lastPosition;
    }
  }
}

/** `count` small events of `type`, numbered from `first` in their data. */
export function numberedEvents(count, type = 'Counted', first = 1) {
  return Array.from({ length: count }, (_, i) => ({ type, data: { n: first + i } }));
}
