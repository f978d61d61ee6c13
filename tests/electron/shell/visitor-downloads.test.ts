import { describe, expect, it } from 'vitest';
import { safeDownloadName } from '../../../electron/shell/visitor-downloads';

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
