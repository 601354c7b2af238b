// A TCP relay between the browser and Arbor that a test can cut: every open connection dropped at
// once (what a network blip or a restarted load balancer does to a live tail), and new ones
// refused until it lets them through again. Nothing heavy restarts; the console cannot tell.
import { createServer, connect } from 'node:net';

export async function startRelay(targetUrl) {
  const target = new URL(targetUrl);
  const sockets = new Set();
  let refusing = false;
  const track = (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port || 80), target.hostname);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    // The page is loaded through the relay too, so its API calls (same origin) go through it.
    url: `http://127.0.0.1:${server.address().port}`,
    /** Drops every open connection; with `refuse`, new ones too until `restore()`. */
    cut({ refuse = false } = {}) {
      refusing = refuse;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      refusing = false;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
