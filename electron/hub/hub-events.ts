/**
 * How a change reaches the people waiting for it: the dashboards' event streams (SSE) and
 * the kiosks' long polls on their own help request.
 *
 * A help call must reach every helper's screen within milliseconds even with dozens of
 * dashboards open, so an event is serialized once and the same chunk is written to every
 * stream. A dashboard that stops reading (a phone gone to sleep on a dead Wi-Fi) is cut
 * off once its unsent backlog grows, instead of growing the hub's memory; it reconnects
 * and gets a fresh snapshot.
 */
import type { ServerResponse } from 'node:http';
import type { HelpRequestView, HubEvent } from '../../shared/hub-api';

/** A stream holding more unsent bytes than this is not being read. A snapshot of 500 kiosks and their requests is well under it. */
export const MAX_UNSENT_EVENT_BYTES = 1024 * 1024;

/** One server-sent event: `event: <type>` and the HubEvent as one line of JSON. */
export function eventChunk(event: HubEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** A comment line: keeps idle streams open through proxies and tells the dashboard the hub is alive. */
export const KEEP_ALIVE_CHUNK = ': still here\n\n';

interface OpenStream {
  readonly response: ServerResponse;
  /** The staff device reading it: revoking the device ends its streams. */
  readonly deviceId: string;
}

/** Every open `GET /events` stream. */
export class HubEventStreams {
  readonly #streams = new Set<OpenStream>();
  readonly #maxStreams: number;

  constructor(options: { readonly maxStreams: number }) {
    this.#maxStreams = options.maxStreams;
  }

  get size(): number {
    return this.#streams.size;
  }

  get full(): boolean {
    return this.#streams.size >= this.#maxStreams;
  }

  /**
   * Sends the head and the first chunk (the snapshot), then adds the stream to every
   * broadcast. Done in one go, so no event can fall between the snapshot and the stream.
   */
  open(response: ServerResponse, deviceId: string, headers: Record<string, string>, firstChunk: string): void {
    const stream: OpenStream = { response, deviceId };
    response.writeHead(200, headers);
    // Events are small and must not wait for more bytes to fill a packet.
    response.socket?.setNoDelay(true);
    response.write(firstChunk);
    this.#streams.add(stream);
    const forget = () => this.#streams.delete(stream);
    response.on('close', forget);
    response.on('error', forget);
  }

  broadcast(event: HubEvent): void {
    if (this.#streams.size > 0) this.#write(eventChunk(event));
  }

  keepAlive(): void {
    this.#write(KEEP_ALIVE_CHUNK);
  }

  /** Ends the streams of one device (its credential was revoked). */
  closeDevice(deviceId: string): void {
    for (const stream of this.#streams) {
      if (stream.deviceId !== deviceId) continue;
      this.#streams.delete(stream);
      stream.response.end();
    }
  }

  closeAll(): void {
    for (const stream of this.#streams) stream.response.end();
    this.#streams.clear();
  }

  #write(chunk: string): void {
    for (const stream of this.#streams) {
      const { response } = stream;
      if (response.writableEnded || response.destroyed) {
        this.#streams.delete(stream);
        continue;
      }
      if (response.writableLength > MAX_UNSENT_EVENT_BYTES) {
        this.#streams.delete(stream);
        response.destroy();
        continue;
      }
      response.write(chunk);
    }
  }
}

/** Why a long poll stopped waiting. */
export type WaitOutcome = 'changed' | 'timeout' | 'released' | 'abandoned';

interface Waiter {
  readonly after: number;
  readonly settle: (outcome: WaitOutcome) => void;
}

/**
 * Kiosks waiting on `GET /help-requests/{id}?after=<revision>` for their request to move
 * ("A helper is coming"). A waiter wakes when the request reaches a revision above the
 * one it has, when its time is up, or when the hub closes; the caller then answers with
 * the request as it is.
 */
export class HelpRequestWaiters {
  readonly #byRequest = new Map<string, Set<Waiter>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /**
   * Waits for a revision of request `id` above `after`, at most `timeoutMs`. `abandon`
   * is called by the caller when the client goes away, to let the waiter go at once.
   */
  wait(id: string, after: number, timeoutMs: number): { readonly outcome: Promise<WaitOutcome>; readonly abandon: () => void } {
    let settle!: (outcome: WaitOutcome) => void;
    const outcome = new Promise<WaitOutcome>((resolve) => {
      let settled = false;
      let waiters = this.#byRequest.get(id);
      if (!waiters) {
        waiters = new Set();
        this.#byRequest.set(id, waiters);
      }
      const set = waiters;
      const timer = setTimeout(() => settle('timeout'), timeoutMs);
      const waiter: Waiter = {
        after,
        settle: (result) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (set.delete(waiter)) this.#size -= 1;
          if (set.size === 0 && this.#byRequest.get(id) === set) this.#byRequest.delete(id);
          resolve(result);
        },
      };
      settle = waiter.settle;
      set.add(waiter);
      this.#size += 1;
    });
    return { outcome, abandon: () => settle('abandoned') };
  }

  /** Wakes the waiters of this request that had an older revision. */
  notify(request: HelpRequestView): void {
    const waiters = this.#byRequest.get(request.id);
    if (!waiters) return;
    for (const waiter of [...waiters]) if (request.revision > waiter.after) waiter.settle('changed');
  }

  /** Wakes every waiter (the hub is closing): each answers with the request as it is now. */
  releaseAll(): void {
    for (const waiters of [...this.#byRequest.values()]) for (const waiter of [...waiters]) waiter.settle('released');
  }
}
