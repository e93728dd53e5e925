import net from 'node:net';

/*
 * A TCP proxy in front of the database that can cut the network silently:
 * bytes are dropped, no FIN, no RST — what a gateway sees when a firewall,
 * a NAT table or a switch loses its connections. Unlike a stopped server,
 * a cut connection never comes back, even after the network heals.
 */

export interface BlackholeProxy {
  readonly port: number;
  /** Drops every byte of every open connection from now on, and accepts new connections only to drop their bytes too. */
  cut(): void;
  /** New connections are forwarded again; connections cut before stay cut, forever. */
  heal(): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket | null;
  cut: boolean;
}

export async function startBlackholeProxy(target: { host: string; port: number }): Promise<BlackholeProxy> {
  let cutting = false;
  const pairs = new Set<Pair>();

  const server = net.createServer((client) => {
    const pair: Pair = { client, upstream: null, cut: cutting };
    pairs.add(pair);
    client.on('error', () => undefined);
    client.on('close', () => {
      pairs.delete(pair);
      pair.upstream?.destroy();
    });
    client.on('data', (chunk) => {
      if (!pair.cut) pair.upstream?.write(chunk);
    });
    if (pair.cut) return;
    const upstream = net.connect(target.port, target.host);
    pair.upstream = upstream;
    upstream.on('error', () => undefined);
    upstream.on('data', (chunk) => {
      if (!pair.cut) client.write(chunk);
    });
    // The server closing is news the client gets only while the network works.
    upstream.on('close', () => {
      if (!pair.cut) client.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });

  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      cutting = true;
      for (const pair of pairs) pair.cut = true;
    },
    heal() {
      cutting = false;
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
