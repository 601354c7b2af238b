// Server-Sent Events over fetch(): EventSource cannot send an Authorization header. Reads the
// text/event-stream body as it arrives and hands each frame ({id, event, data}) to onFrame;
// comment lines (": heartbeat") call onHeartbeat. Resumes with Last-Event-ID when given.
import { check, headers } from './api.js';

/** Parses event-stream text; feed() takes chunks, calls onFrame per complete frame. */
export class FrameParser {
  constructor(onFrame, onComment) {
    this.onFrame = onFrame;
    this.onComment = onComment || (() => {});
    this.buffer = '';
    this.reset();
  }

  reset() {
    this.frame = { id: null, event: 'message', data: [] };
  }

  feed(text) {
    this.buffer += text;
    let newline;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      // A chunk that ends in "\r" may be half of a "\r\n": wait for the next chunk to tell.
      if (newline === this.buffer.length - 1 && this.buffer.endsWith('\r')) return;
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + width);
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      if (this.frame.data.length > 0 || this.frame.id !== null) {
        this.onFrame({ id: this.frame.id, event: this.frame.event, data: this.frame.data.join('\n') });
      }
      this.reset();
      return;
    }
    if (line.startsWith(':')) {
      this.onComment(line.slice(1).trim());
      return;
    }
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'id') this.frame.id = value;
    else if (name === 'event') this.frame.event = value;
    else if (name === 'data') this.frame.data.push(value);
  }
}

/**
 * Opens url as an event stream; resolves when the server ends it, rejects on a refused request
 * (ApiError) or a broken connection. onOpen is called once the answer's head has arrived.
 */
export async function readEventStream(url, { lastEventId, signal, onOpen, onFrame, onHeartbeat }) {
  const h = headers({ Accept: 'text/event-stream' });
  if (lastEventId !== undefined && lastEventId !== null) h.set('Last-Event-ID', String(lastEventId));
  const response = await check(await fetch(url, { headers: h, signal, cache: 'no-store' }));
  if (onOpen) onOpen();
  // Once aborted (Pause), nothing more is handed on, not even frames of a chunk already read.
  const live = () => !(signal && signal.aborted);
  const parser = new FrameParser(
    (frame) => live() && onFrame(frame),
    (comment) => live() && onHeartbeat && onHeartbeat(comment),
  );
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    if (!live()) {
      reader.cancel().catch(() => {});
      return;
    }
    parser.feed(value);
  }
}
