/**
 * Keeps a service page from opening, on its own, the dialogs that show the PC's file
 * system: the file picker of `<input type=file>` and the print dialog (whose "Print to
 * file" browses the disk). The kiosk decides instead (service-views.ts, from the service's
 * `uploads` and `printing` options). Electron has no event for either (electron/electron #10967, #32671; and
 * `disableDialogs` does not stop `print()`, #32925), so the kiosk speaks the Chrome
 * DevTools Protocol to the page through `webContents.debugger`:
 *
 * - `Page.setInterceptFileChooserDialog`: Chromium hands every file chooser to the
 *   protocol client instead of showing it; `Page.fileChooserOpened` tells the kiosk,
 *   which refuses it or offers the visitor's "My files" (service-views.ts). `cancel: true`
 *   makes the page see a cancelled picker at once rather than one left open; files the
 *   visitor then chooses are given to the same `<input type=file>` with
 *   `DOM.setFileInputFiles`, sent on the protocol session (page or frame) the chooser came
 *   from, which sets them and fires the input's `change` as a picker would.
 * - `Page.addScriptToEvaluateOnNewDocument`: before any script of a new document runs,
 *   in every frame of the target, `print` is replaced by a function that shows nothing
 *   and asks the kiosk through a protocol binding (`Runtime.addBinding`); the kiosk
 *   refuses, or opens the print dialog itself when the service may print. A preload
 *   would miss sub-frames (#13166); this runs in each of them.
 * - `Target.setAutoAttach` (flattened, paused at start): frames of other sites run in
 *   processes of their own (out-of-process iframes), each a protocol target of its own;
 *   every one gets the same two guards before it runs, and so do the frames it embeds.
 *
 * If the guards cannot be put in place, or the protocol connection is lost while the
 * page is shown, `onUnguarded` is called and the page must be taken off the screen.
 *
 * The File System Access pickers (`showOpenFilePicker` and siblings) do not go through
 * the file chooser above; they are switched off with the Blink feature in
 * web-preferences.ts.
 */
import type { ShellLog } from './shell-log';

/** The part of webContents.debugger the guards use. */
export interface ProtocolDebugger {
  attach(protocolVersion?: string): void;
  sendCommand(method: string, commandParams?: unknown, sessionId?: string): Promise<unknown>;
  on(event: 'message', listener: (event: unknown, method: string, params: unknown, sessionId: string) => void): unknown;
  on(event: 'detach', listener: (event: unknown, reason: string) => void): unknown;
}

export const PROTOCOL_VERSION = '1.3';

/**
 * The protocol binding the print guard calls; visible to the page, which can only misuse
 * it to do what print() does: be refused, or open the dialog of a service that may print.
 */
export const PRINT_REQUEST_BINDING = 'epnKioskPrintRequested';

/**
 * Runs in the page's own world before its scripts: `print` opens no dialog but asks the
 * kiosk, and cannot be put back (not writable, not configurable).
 */
export const PRINT_GUARD_SCRIPT = `(() => {
  const askTheKioskToPrint = function print() {
    const ask = globalThis[${JSON.stringify(PRINT_REQUEST_BINDING)}];
    if (typeof ask === 'function') {
      try { ask('print'); } catch (error) { void error; }
    }
  };
  try {
    Object.defineProperty(globalThis, 'print', { value: askTheKioskToPrint, writable: false, enumerable: true, configurable: false });
  } catch (error) { void error; }
})();`;

/** A file picker the page asked for: Chromium showed nothing, and the page saw it cancelled. */
export interface InterceptedFileChooser {
  /** The page's picker takes several files (`mode: 'selectMultiple'`). */
  readonly multiple: boolean;
  /**
   * Gives the input that asked these files (absolute paths, each one already checked by
   * the caller: the protocol reads whatever path it is given). Rejects when the chooser
   * cannot be answered (no input named in the event, the input or its page is gone).
   */
  giveFiles(paths: readonly string[]): Promise<void>;
}

export interface PageDialogGuardOptions {
  /** The page asked for a file picker; it was not shown, and the page sees it cancelled until files are given. */
  readonly onFilePicker: (chooser: InterceptedFileChooser) => void;
  /** The page (or one of its frames) called print(); no dialog was shown: the kiosk decides. */
  readonly onPrintRequested: () => void;
  /** The guards are not (or no longer) in place: the page must not stay on screen. */
  readonly onUnguarded: (reason: string) => void;
  readonly log: ShellLog;
}

export interface PageDialogGuard {
  /** The page is being closed on purpose: losing the protocol connection is expected from now on. */
  release(): void;
}

interface AttachedTarget {
  readonly sessionId: string;
  readonly type: string;
}

function readAttachedTarget(params: unknown): AttachedTarget | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const { sessionId, targetInfo } = params as { sessionId?: unknown; targetInfo?: unknown };
  if (typeof sessionId !== 'string' || typeof targetInfo !== 'object' || targetInfo === null) return undefined;
  const { type } = targetInfo as { type?: unknown };
  return typeof type === 'string' ? { sessionId, type } : undefined;
}

function bindingName(params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const { name } = params as { name?: unknown };
  return typeof name === 'string' ? name : undefined;
}

function readFileChooser(params: unknown): { multiple: boolean; backendNodeId: number | undefined } {
  const { mode, backendNodeId } = typeof params === 'object' && params !== null ? (params as { mode?: unknown; backendNodeId?: unknown }) : {};
  return { multiple: mode === 'selectMultiple', backendNodeId: typeof backendNodeId === 'number' && Number.isInteger(backendNodeId) ? backendNodeId : undefined };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The commands that guard one target (the page, or one out-of-process frame), in the
 * order they are sent. Exported so the test can compare what was sent with it.
 */
export function guardCommandsFor(target: 'page' | 'frame'): readonly { method: string; params?: object }[] {
  return [
    { method: 'Page.enable' },
    { method: 'Page.setInterceptFileChooserDialog', params: { enabled: true, cancel: true } },
    { method: 'Runtime.enable' },
    { method: 'Runtime.addBinding', params: { name: PRINT_REQUEST_BINDING } },
    { method: 'Page.addScriptToEvaluateOnNewDocument', params: { source: PRINT_GUARD_SCRIPT, runImmediately: true } },
    { method: 'Target.setAutoAttach', params: { autoAttach: true, waitForDebuggerOnStart: true, flatten: true } },
    ...(target === 'frame' ? [{ method: 'Runtime.runIfWaitingForDebugger' }] : []),
  ];
}

export function guardPageDialogs(debuggerClient: ProtocolDebugger, options: PageDialogGuardOptions): PageDialogGuard {
  let released = false;
  let failed = false;
  const fail = (reason: string) => {
    if (released || failed) return;
    failed = true;
    options.onUnguarded(reason);
  };

  const send = (method: string, params: object | undefined, sessionId: string | undefined): Promise<unknown> =>
    params === undefined ? debuggerClient.sendCommand(method, undefined, sessionId) : debuggerClient.sendCommand(method, params, sessionId);

  // The commands are sent together and not awaited one by one: until the target has
  // navigated, a command's answer may only come after the navigation.
  const guardTarget = (target: 'page' | 'frame', sessionId?: string) => {
    const sent = guardCommandsFor(target).map(({ method, params }) => {
      const answer = send(method, params, sessionId);
      // Older protocol versions may not know `cancel`; interception alone still keeps the picker closed.
      if (method === 'Page.setInterceptFileChooserDialog') {
        return answer.catch(() => send(method, { enabled: true }, sessionId));
      }
      return answer;
    });
    Promise.all(sent).catch((error: unknown) => {
      fail(`a ${target} could not be guarded against file and print dialogs (${describe(error)})`);
    });
  };

  debuggerClient.on('message', (_event, method, params, sessionId) => {
    switch (method) {
      case 'Page.fileChooserOpened': {
        const { multiple, backendNodeId } = readFileChooser(params);
        // The page's own target has the empty session id; a frame's chooser is answered in that frame.
        const target = sessionId === '' ? undefined : sessionId;
        options.onFilePicker({
          multiple,
          giveFiles: async (paths) => {
            if (backendNodeId === undefined) throw new Error('the file chooser named no input to give files to');
            await send('DOM.setFileInputFiles', { files: [...paths], backendNodeId }, target);
          },
        });
        return;
      }
      case 'Runtime.bindingCalled':
        if (bindingName(params) === PRINT_REQUEST_BINDING) options.onPrintRequested();
        return;
      case 'Target.attachedToTarget': {
        const target = readAttachedTarget(params);
        if (target === undefined) return;
        if (target.type === 'iframe') {
          guardTarget('frame', target.sessionId);
        } else {
          // Workers cannot open dialogs; they only need to be let go.
          send('Runtime.runIfWaitingForDebugger', undefined, target.sessionId).catch((error: unknown) => {
            options.log(`a page's worker could not be resumed (${describe(error)})`);
          });
        }
        return;
      }
      default:
        return;
    }
  });
  debuggerClient.on('detach', (_event, reason) => fail(`the page's protocol connection ended (${reason})`));

  try {
    debuggerClient.attach(PROTOCOL_VERSION);
  } catch (error) {
    fail(`the protocol connection to the page could not be opened (${describe(error)})`);
    return { release: () => undefined };
  }
  guardTarget('page');
  return {
    release: () => {
      released = true;
    },
  };
}
