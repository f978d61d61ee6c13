/**
 * Headless Chromium driven over its DevTools pipe (--remote-debugging-pipe) with the
 * fewest protocol domains possible: targets, and Runtime.evaluate in a page.
 *
 * Why not Playwright here: Playwright turns on DevTools network tracking in every page,
 * which adds a fraction of a millisecond to each request (about 0.7 ms per fetch on the
 * 2-core build machines). The tests do not mind; a benchmark of a 2 ms round trip does,
 * and no visitor's browser pays it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

interface ProtocolMessage {
  readonly id?: number;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly message: string };
  readonly sessionId?: string;
}

export class ChromiumPipe {
  readonly #process: ChildProcess;
  readonly #input: Writable;
  readonly #userDataDir: string;
  readonly #pending = new Map<number, { resolve: (result: Record<string, unknown>) => void; reject: (error: Error) => void; method: string }>();
  #nextId = 1;
  #exited = false;
  readonly #exit: Promise<void>;

  private constructor(child: ChildProcess, userDataDir: string) {
    this.#process = child;
    this.#userDataDir = userDataDir;
    this.#input = child.stdio[3] as Writable;
    const output = child.stdio[4] as Readable;
    let buffer = '';
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\0')) !== -1) {
        const text = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        this.#dispatch(JSON.parse(text) as ProtocolMessage);
      }
    });
    this.#exit = new Promise((resolve) =>
      child.on('exit', () => {
        this.#exited = true;
        for (const { reject, method } of this.#pending.values()) reject(new Error(`Chromium exited during ${method}`));
        this.#pending.clear();
        resolve();
      }),
    );
  }

  static async launch(executablePath: string, extraArgs: readonly string[]): Promise<ChromiumPipe> {
    const userDataDir = mkdtempSync(join(tmpdir(), 'epn-bench-chromium-'));
    const args = [
      '--headless',
      // Build machines run as root, where Chromium's sandbox cannot start.
      '--no-sandbox',
      ...extraArgs,
      `--user-data-dir=${userDataDir}`,
      '--remote-debugging-pipe',
      'about:blank',
    ];
    const child = spawn(executablePath, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    const pipe = new ChromiumPipe(child, userDataDir);
    try {
      await pipe.send('Browser.getVersion');
    } catch (error) {
      await pipe.close();
      throw new Error(`Chromium (${executablePath}) did not start: ${error instanceof Error ? error.message : String(error)}\n${stderr}`);
    }
    return pipe;
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.#exited) return Promise.reject(new Error(`Chromium has exited; cannot send ${method}`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, method });
      this.#input.write(`${JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) })}\0`);
    });
  }

  /** A fresh browser context (no cache, no cookies) with one page, attached. */
  async openPage(): Promise<{ sessionId: string; close(): Promise<void> }> {
    const { browserContextId } = (await this.send('Target.createBrowserContext')) as { browserContextId: string };
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank', browserContextId })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    return {
      sessionId,
      close: async () => {
        await this.send('Target.disposeBrowserContext', { browserContextId });
      },
    };
  }

  /** Runs an expression (a promise is awaited) in the page and returns its JSON value. */
  async evaluate(sessionId: string, expression: string): Promise<unknown> {
    const reply = (await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId)) as {
      result?: { value?: unknown };
      exceptionDetails?: { text?: string; exception?: { description?: string } };
    };
    if (reply.exceptionDetails !== undefined) {
      throw new Error(reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text ?? 'the page threw');
    }
    return reply.result?.value;
  }

  /**
   * Navigates and waits, inside the page, until `readyExpression` is truthy in the new
   * document; returns what `resultExpression` gives there.
   */
  async navigateAndWait(sessionId: string, url: string, readyExpression: string, resultExpression: string, timeoutMs = 15_000): Promise<unknown> {
    await this.send('Page.navigate', { url }, sessionId);
    const deadline = Date.now() + timeoutMs;
    // Until the new document exists, evaluation may land in the old one: wait for it from inside the page.
    const waitInPage = `new Promise((resolve) => {
      const check = () => {
        let ready = false;
        try {
          ready = document.URL.startsWith(${JSON.stringify(url)}) && Boolean(${readyExpression});
        } catch {
          // The document is still being built.
        }
        if (ready) resolve(${resultExpression});
        else setTimeout(check, 2);
      };
      check();
    })`;
    for (;;) {
      try {
        return await this.evaluate(sessionId, waitInPage);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (Date.now() > deadline) throw new Error(`${url} did not become ready within ${timeoutMs} ms: ${message}`);
        if (!/context|destroyed|navigat/i.test(message)) throw error;
      }
    }
  }

  async close(): Promise<void> {
    if (!this.#exited) {
      this.send('Browser.close').catch(() => {});
      const killer = setTimeout(() => this.#process.kill('SIGKILL'), 5_000);
      await this.#exit;
      clearTimeout(killer);
    }
    rmSync(this.#userDataDir, { recursive: true, force: true });
  }

  #dispatch(message: ProtocolMessage): void {
    if (message.id === undefined) return;
    const pending = this.#pending.get(message.id);
    if (pending === undefined) return;
    this.#pending.delete(message.id);
    if (message.error !== undefined) pending.reject(new Error(`${pending.method}: ${message.error.message}`));
    else pending.resolve(message.result ?? {});
  }
}
