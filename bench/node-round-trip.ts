/**
 * The server's share of a contract call: the same POST from Node over one kept-alive
 * connection, with the headers a browser sends. What is left of the in-page round trip
 * beyond this is the browser's own cost.
 */
import { Agent, request } from 'node:http';

export async function measureServerRoundTrip(url: string, channel: string, argument: unknown, warmUpCalls: number, calls: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(`api/contract/${encodeURIComponent(channel)}`, url);
  const body = JSON.stringify(argument === undefined ? {} : { argument });
  const headers = { host: target.host, origin: target.origin, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  const callOnce = () =>
    new Promise<void>((resolve, reject) => {
      const outgoing = request(target, { method: 'POST', agent, headers }, (response) => {
        const status = response.statusCode;
        response.resume();
        response.on('end', () => (status === 200 ? resolve() : reject(new Error(`${channel} answered ${status}`))));
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  try {
    const timings: number[] = [];
    for (let index = 0; index < warmUpCalls + calls; index += 1) {
      const started = performance.now();
      await callOnce();
      if (index >= warmUpCalls) timings.push(performance.now() - started);
    }
    return timings;
  } finally {
    agent.destroy();
  }
}
