// Picks a currently free TCP port on the loopback interface, for child processes that must be told a port
// up front (`--secure-port`). A port can be taken between picking and binding: callers retry on EADDRINUSE.
import { createServer } from 'node:net';

/** Resolves to a port that was free on `host` (default 127.0.0.1) a moment ago. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`unexpected listen address ${String(address)}`));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
