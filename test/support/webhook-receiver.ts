// A local HTTP receiver for webhook tests (127.0.0.1 only): records every request and answers with the
// status the test chooses.
import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; createdAt: string; data: Record<string, unknown> };
}

export interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** respond(n, r): the status for the n-th request (0-based); may wait before answering. */
export function startReceiver(respond: (n: number, r: Received) => number | Promise<number> = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const r: Received = { headers: req.headers, body, json: JSON.parse(body) as Received['json'] };
      const n = received.length;
      received.push(r);
      void Promise.resolve(respond(n, r)).then((status) => {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(status >= 300 ? `receiver says no (${status})` : 'ok');
      });
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}/hooks/rebound`,
        received,
        close: () => new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
      });
    });
  });
}

/** Wait until cond() holds (polling), failing after a generous deadline: for background loops. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, deadlineMs = 15_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
