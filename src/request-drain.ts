import type http from 'node:http';

export interface RequestDrain {
  /** Requests received and not yet answered (or abandoned by their client). */
  readonly inFlight: number;
  /**
   * Stops accepting connections, lets the requests in progress finish, and
   * resolves once every connection is closed, with how many requests finished
   * meanwhile. Their answers carry `Connection: close`, so a keep-alive
   * client does not hold the drain open until its connection idles out.
   */
  drain(): Promise<number>;
}

/** Counts the requests in progress on `server`, for a shutdown that lets them finish first. */
export function trackRequests(server: http.Server): RequestDrain {
  const open = new Set<http.ServerResponse>();
  let draining = false;
  let finishedWhileDraining = 0;

  const closeAfter = (res: http.ServerResponse): void => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };

  // Before the app's own listener, so the header is set before anything can answer.
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    open.add(res);
    if (draining) closeAfter(res);
    res.once('close', () => {
      open.delete(res);
      if (draining) {
        finishedWhileDraining += 1;
        // The connection may have become idle with this answer: nothing more will come over it.
        server.closeIdleConnections();
      }
    });
  });

  return {
    get inFlight() {
      return open.size;
    },
    drain() {
      draining = true;
      for (const res of open) closeAfter(res);
      return new Promise<number>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve(finishedWhileDraining)));
        server.closeIdleConnections();
      });
    },
  };
}
