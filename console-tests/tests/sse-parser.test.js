// The console's event-stream parser (js/sse.js FrameParser), in Node without a browser: the frames
// of a text are the same however the network cuts it into chunks, whatever its line endings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameParser } from '../../web/src/main/webapp/console/js/sse.js';

// What the server sends (api.md, "Live subscriptions"), with the three line endings SSE allows.
const STREAM =
  'id: 5\r\nevent: event\r\ndata: {"a":1}\r\n\r\n' +
  ': heartbeat\n\n' +
  'event: caught-up\rdata: {"position":5}\r\r' +
  'id: 6\nevent: checkpoint\ndata: {"position":6}\n\n' +
  'id: 7\nevent: event\ndata:{"first":"line"\ndata: ,"second":2}\nretry: 100\n\n';
const FRAMES = [
  { id: '5', event: 'event', data: '{"a":1}' },
  { id: null, event: 'caught-up', data: '{"position":5}' },
  { id: '6', event: 'checkpoint', data: '{"position":6}' },
  { id: '7', event: 'event', data: '{"first":"line"\n,"second":2}' },
];

function parse(chunks) {
  const frames = [];
  const comments = [];
  const parser = new FrameParser((frame) => frames.push(frame), (comment) => comments.push(comment));
  for (const chunk of chunks) parser.feed(chunk);
  return { frames, comments };
}

test('one chunk: every frame, data lines joined, unknown fields ignored, comments reported', () => {
  assert.deepEqual(parse([STREAM]), { frames: FRAMES, comments: ['heartbeat'] });
});

test('cut in two at every position, a cut inside "\\r\\n" included: the same frames', () => {
  for (let cut = 1; cut < STREAM.length; cut++) {
    assert.deepEqual(parse([STREAM.slice(0, cut), STREAM.slice(cut)]).frames, FRAMES, `cut at ${cut}`);
  }
});

test('one character at a time: the same frames', () => {
  assert.deepEqual(parse([...STREAM]), { frames: FRAMES, comments: ['heartbeat'] });
});

test('a frame not yet ended by a blank line is not handed on', () => {
  assert.deepEqual(parse(['id: 8\nevent: event\ndata: {}\n']).frames, []);
});
