/**
 * Two small web sites on 127.0.0.1 for the real-Electron suite, so no test depends on the
 * internet: the "service" the test configuration lists (with UNSAFE_allowHttpHosts, plain
 * http on loopback), and an "outside" site on another port that is on no allow-list.
 *
 * The service's pages give a visitor (or a test) every way out and every way to leave
 * traces: an off-list link, a redirect and a frame to the outside site, pop-ups in and
 * out, a download, a file input, print(), and a page that writes every kind of storage
 * (cookies, localStorage, sessionStorage, IndexedDB, Cache Storage, a service worker).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestSites {
  /** http://127.0.0.1:<port> of the service. */
  readonly service: string;
  /** http://127.0.0.1:<other port> of the site outside every allow-list. */
  readonly outside: string;
  /** "127.0.0.1:<port>": the service's allow-list entry. */
  readonly serviceHost: string;
  close(): Promise<void>;
}

export const DOWNLOAD_NAME = 'attestation.pdf';
export const DOWNLOAD_BODY = '%PDF-1.4\n% EPN Kiosk test download\n';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
}

/** Writes one of each kind of storage; `window.stored` resolves when all are written. */
const STORAGE_WRITER = `
<script>
window.stored = (async () => {
  document.cookie = 'visitor=jan; max-age=86400; path=/';
  localStorage.setItem('national-number', '85.07.30-033.61');
  sessionStorage.setItem('draft', 'my letter');
  await new Promise((resolve, reject) => {
    const request = indexedDB.open('visitor-db', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('forms');
    request.onsuccess = () => {
      const transaction = request.result.transaction('forms', 'readwrite');
      transaction.objectStore('forms').put({ name: 'Jan' }, 'me');
      transaction.oncomplete = () => { request.result.close(); resolve(); };
      transaction.onerror = () => reject(transaction.error);
    };
    request.onerror = () => reject(request.error);
  });
  const cache = await caches.open('visitor-cache');
  await cache.put('/cached', new Response('cached by the visitor'));
  await navigator.serviceWorker.register('/sw.js');
  await navigator.serviceWorker.ready;
  return true;
})();
</script>`;

/** Reads every kind of storage, without writing any; `window.found` resolves with the counts. */
const STORAGE_READER = `
<script>
window.found = (async () => ({
  cookies: document.cookie === '' ? 0 : document.cookie.split(';').length,
  localStorage: localStorage.length,
  sessionStorage: sessionStorage.length,
  indexedDB: (await indexedDB.databases()).length,
  cacheStorage: (await caches.keys()).length,
  serviceWorkers: (await navigator.serviceWorker.getRegistrations()).length,
}))();
</script>`;

function serviceRoutes(outside: () => string): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const html = (status: number, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
      response.end(body);
    };
    switch (url.pathname) {
      case '/':
        html(
          200,
          page(
            'Guarded service',
            `<p><label>Your name <input id="text" type="text"></label></p>
             <p><a id="inside" href="/second">Next step</a></p>
             <p><a id="mail" href="mailto:help@example.be">Write to us</a></p>
             <p><a id="off-list" href="${outside()}/">A link out</a></p>
             <p><a id="redirect-out" href="/redirect-out">A redirect out</a></p>
             <p><a id="blank-out" href="${outside()}/" target="_blank">A new window out</a></p>
             <p><button id="popup-inside" onclick="window.open('/popup')">Pop-up inside</button></p>
             <p><button id="popup-outside" onclick="window.open('${outside()}/popup')">Pop-up outside</button></p>
             <p><a id="download" href="/download/${DOWNLOAD_NAME}">Download</a></p>
             <p><input id="pick" type="file"></p>
             <p><button id="print" onclick="print()">Print</button></p>
             <iframe id="frame-inside" src="/framed" title="inside"></iframe>`,
          ),
        );
        return;
      case '/second':
        html(200, page('Second step', '<p>Inside the service.</p>'));
        return;
      case '/popup':
        html(200, page('Pop-up of the service', '<p>Opened in the same view.</p>'));
        return;
      case '/framed':
        html(200, page('Framed page', '<button id="print-in-frame" onclick="print()">Print this frame</button>'));
        return;
      case '/frames':
        html(200, page('Frames', `<iframe id="frame-out" src="${outside()}/framed" title="outside"></iframe><iframe id="frame-in" src="/framed" title="inside"></iframe>`));
        return;
      case '/redirect-out':
        response.writeHead(302, { Location: `${outside()}/landed`, 'Cache-Control': 'no-store' });
        response.end();
        return;
      case `/download/${DOWNLOAD_NAME}`:
        response.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${DOWNLOAD_NAME}"`, 'Content-Length': String(Buffer.byteLength(DOWNLOAD_BODY)) });
        response.end(DOWNLOAD_BODY);
        return;
      case '/storage':
        html(200, page('Storage writer', STORAGE_WRITER));
        return;
      case '/storage-read':
        html(200, page('Storage reader', STORAGE_READER));
        return;
      case '/sw.js':
        response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
        response.end("self.addEventListener('install', () => self.skipWaiting()); self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));");
        return;
      default:
        html(404, page('Not found', ''));
    }
  };
}

function outsideRoutes(request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(page('Outside the service', `<p>${request.url ?? ''}</p>`));
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startTestSites(): Promise<TestSites> {
  let outsideOrigin = '';
  const outsideServer = createServer(outsideRoutes);
  const serviceServer = createServer(serviceRoutes(() => outsideOrigin));
  const [servicePort, outsidePort] = await Promise.all([listen(serviceServer), listen(outsideServer)]);
  outsideOrigin = `http://127.0.0.1:${outsidePort}`;
  return {
    service: `http://127.0.0.1:${servicePort}`,
    outside: outsideOrigin,
    serviceHost: `127.0.0.1:${servicePort}`,
    close: async () => {
      await Promise.all([closeServer(serviceServer), closeServer(outsideServer)]);
    },
  };
}
