import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeDownloadName, VisitorDownloads } from '../../../electron/shell/visitor-downloads';
import { FakeDownloadItem } from './fake-electron';

const none = () => false;

describe('safeDownloadName', () => {
  it('keeps an ordinary name as it is, accents included', () => {
    expect(safeDownloadName('Déclaration 2025.pdf', none)).toBe('Déclaration 2025.pdf');
  });

  it('drops any folder part, so a download never leaves the visitor\'s folder', () => {
    expect(safeDownloadName('../../../home/kiosk/.bashrc', none)).toBe('bashrc');
    expect(safeDownloadName('..\\..\\Windows\\System32\\evil.dll', none)).toBe('evil.dll');
    expect(safeDownloadName('/etc/passwd', none)).toBe('passwd');
  });

  it('replaces characters Windows or Linux refuse, and control characters', () => {
    expect(safeDownloadName('a<b>c:d"e|f?g*h\u0000i\u001fj.txt', none)).toBe('a_b_c_d_e_f_g_h_i_j.txt');
  });

  it('avoids device names and names made of dots or spaces', () => {
    expect(safeDownloadName('CON.txt', none)).toBe('_CON.txt');
    expect(safeDownloadName('nul', none)).toBe('_nul');
    expect(safeDownloadName('...', none)).toBe('download');
    expect(safeDownloadName('   ', none)).toBe('download');
    expect(safeDownloadName('', none)).toBe('download');
  });

  it('bounds the length and keeps the extension', () => {
    const name = safeDownloadName(`${'x'.repeat(500)}.pdf`, none);
    expect(name.length).toBeLessThanOrEqual(120);
    expect(name.endsWith('.pdf')).toBe(true);
  });

  it('numbers a name already taken', () => {
    const taken = new Set(['form.pdf', 'form (2).pdf']);
    expect(safeDownloadName('form.pdf', (name) => taken.has(name))).toBe('form (3).pdf');
    expect(safeDownloadName('README', (name) => name === 'README')).toBe('README (2)');
  });
});

describe('VisitorDownloads.pathsForUpload: only the visitor\'s own finished files, by name', () => {
  const folder = path.join(tmpdir(), 'epn-no-such-folder', 'visitor-1');
  function downloadsWith(...files: { name: string; done: boolean }[]) {
    const downloads = new VisitorDownloads({ folder, onChanged: () => {}, onRefused: () => {}, log: () => {} });
    for (const file of files) {
      const item = new FakeDownloadItem(file.name, 10);
      downloads.accept(item, undefined);
      item.progress(10);
      if (file.done) item.complete();
    }
    return downloads;
  }

  it('gives the absolute path of each named file inside the visitor\'s folder', () => {
    const downloads = downloadsWith({ name: 'attestation.pdf', done: true }, { name: 'photo.jpg', done: true });
    expect(downloads.pathsForUpload(['photo.jpg', 'attestation.pdf'])).toEqual([path.join(folder, 'photo.jpg'), path.join(folder, 'attestation.pdf')]);
    expect(downloads.pathsForUpload([])).toEqual([]);
  });

  it('refuses a path, a file of no download, a file still downloading, and the same file twice', () => {
    const downloads = downloadsWith({ name: 'attestation.pdf', done: true }, { name: 'big.iso', done: false });
    expect(() => downloads.pathsForUpload(['../attestation.pdf'])).toThrow('not one of the visitor\'s files');
    expect(() => downloads.pathsForUpload([path.join(folder, 'attestation.pdf')])).toThrow('not one of the visitor\'s files');
    expect(() => downloads.pathsForUpload(['/etc/passwd'])).toThrow('not one of the visitor\'s files');
    expect(() => downloads.pathsForUpload(['big.iso'])).toThrow('still downloading');
    expect(() => downloads.pathsForUpload(['attestation.pdf', 'attestation.pdf'])).toThrow('twice');
    // One bad name refuses the whole answer: nothing is given.
    expect(() => downloads.pathsForUpload(['attestation.pdf', 'other.pdf'])).toThrow();
  });
});
