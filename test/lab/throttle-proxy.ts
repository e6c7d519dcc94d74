/**
 * A loopback TCP proxy in front of the lab registry that slows down or stalls what the registry sends back, so a
 * pull through `${address}/lab/big:1.0` is slow (bytesPerSecond) or hangs mid-blob (stallAfterBytes).
 * Client -> server bytes pass untouched. Docker treats 127.0.0.1:<port> as one more insecure registry.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface ThrottleOptions {
  /** Server -> client bytes per second, for every connection on its own. Default: unlimited. */
  readonly bytesPerSecond?: number;
  /** Each connection forwards at most this many server -> client bytes, then holds the rest (socket stays open). */
  readonly stallAfterBytes?: number;
}

export interface ThrottleProxy {
  /** `127.0.0.1:PORT` */
  readonly address: string;
  close(): Promise<void>;
}

const TICK_MS = 50;
const HIGH_WATER = 256 * 1024;

function parseTarget(target: string): { readonly host: string; readonly port: number } {
  const index = target.lastIndexOf(':');
  const port = Number(target.slice(index + 1));
  if (index <= 0 || !Number.isInteger(port)) throw new Error(`throttle proxy target must be host:port, got ${target}`);
  return { host: target.slice(0, index), port };
}

export function startThrottleProxy(target: string, options: ThrottleOptions = {}): Promise<ThrottleProxy> {
  const { host, port } = parseTarget(target);
  const rate = options.bytesPerSecond;
  const stallAfter = options.stallAfterBytes;
  const sockets = new Set<Socket>();

  const server = createServer((client) => {
    const upstream = connect({ host, port });
    sockets.add(client);
    sockets.add(upstream);
    const queue: Buffer[] = [];
    let queued = 0;
    let forwarded = 0;
    let upstreamEnded = false;
    let closed = false;

    const close = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };

    /** Sends up to `budget` queued bytes, never past the stall point. */
    const flush = (budget: number): void => {
      let left = Math.floor(budget);
      while (left > 0 && queue.length > 0) {
        const allowed = stallAfter === undefined ? left : Math.min(left, stallAfter - forwarded);
        if (allowed < 1) return; // stalled: hold everything, keep the socket open
        const head = queue[0];
        if (!head) return;
        const chunk = head.length <= allowed ? head : head.subarray(0, allowed);
        if (chunk === head) queue.shift();
        else queue[0] = head.subarray(allowed);
        queued -= chunk.length;
        forwarded += chunk.length;
        left -= chunk.length;
        client.write(chunk);
      }
      if (queued < HIGH_WATER && upstream.isPaused() && !upstreamEnded) upstream.resume();
      if (queue.length === 0 && upstreamEnded) client.end();
    };

    const timer = setInterval(
      () => flush(rate === undefined ? Infinity : Math.max(1, (rate * TICK_MS) / 1000)),
      TICK_MS,
    );

    upstream.on('data', (chunk: Buffer) => {
      queue.push(chunk);
      queued += chunk.length;
      if (queued >= HIGH_WATER) upstream.pause();
      if (rate === undefined) flush(Infinity);
    });
    upstream.on('end', () => {
      upstreamEnded = true;
      if (queue.length === 0) client.end();
    });
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
    });
    client.on('end', () => upstream.end());
    client.on('close', close);
    upstream.on('close', () => {
      // Once the registry hangs up, keep the client open only while bytes are still queued or stalled.
      if (queue.length === 0) close();
    });
    client.on('error', close);
    upstream.on('error', close);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (!address || typeof address === 'string') {
        reject(new Error('throttle proxy has no TCP address'));
        return;
      }
      resolve({
        address: `127.0.0.1:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            sockets.clear();
            server.close(() => done());
          }),
      });
    });
  });
}
