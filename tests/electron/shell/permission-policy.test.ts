import { describe, expect, it } from 'vitest';
import { configuredPermissionsNeeded, decidePermission, type ElectronPermission } from '../../../electron/shell/permission-policy';
import { testService } from './shell-fixtures';

const doctor = testService('doctor');
const taxes = testService('taxes');
const fromDoctor = 'https://consult.example.net/room/42';

describe('decidePermission', () => {
  it('grants what the service is configured for, to its own pages', () => {
    expect(decidePermission({ permission: 'media', requestingUrl: fromDoctor, mediaTypes: ['video'] }, doctor)).toBe(true);
    expect(decidePermission({ permission: 'media', requestingUrl: fromDoctor, mediaTypes: ['audio'] }, doctor)).toBe(true);
    expect(decidePermission({ permission: 'media', requestingUrl: fromDoctor, mediaTypes: ['video', 'audio'] }, doctor)).toBe(true);
  });

  it('asks for both camera and microphone when a media request does not say which', () => {
    expect(configuredPermissionsNeeded({ permission: 'media', mediaTypes: [] })).toEqual(['camera', 'microphone']);
    expect(configuredPermissionsNeeded({ permission: 'media', mediaTypes: ['unknown'] })).toEqual(['camera', 'microphone']);
    const cameraOnly = { ...doctor, permissions: ['camera' as const] };
    expect(decidePermission({ permission: 'media', requestingUrl: fromDoctor }, cameraOnly)).toBe(false);
    expect(decidePermission({ permission: 'media', requestingUrl: fromDoctor, mediaTypes: ['video'] }, cameraOnly)).toBe(true);
    expect(decidePermission({ permission: 'media', requestingUrl: fromDoctor, mediaTypes: ['audio'] }, cameraOnly)).toBe(false);
  });

  it('denies a page of another site, even inside the configured service, and plain http', () => {
    expect(decidePermission({ permission: 'media', requestingUrl: 'https://tracker.example.com/', mediaTypes: ['video'] }, doctor)).toBe(false);
    expect(decidePermission({ permission: 'media', requestingUrl: 'https://consult.example.net.evil.test/', mediaTypes: ['video'] }, doctor)).toBe(false);
    expect(decidePermission({ permission: 'media', requestingUrl: 'http://consult.example.net/', mediaTypes: ['video'] }, doctor)).toBe(false);
    expect(decidePermission({ permission: 'media', requestingUrl: 'not a url', mediaTypes: ['video'] }, doctor)).toBe(false);
  });

  it('denies everything to anything that is not a service view (the launcher)', () => {
    for (const permission of ['media', 'clipboard-sanitized-write', 'notifications'] as const) {
      expect(decidePermission({ permission, requestingUrl: 'kiosk://app/index.html', mediaTypes: ['video'] }, undefined)).toBe(false);
    }
  });

  it('lets a service page write to the clipboard (copy buttons), nothing else unconfigured', () => {
    expect(decidePermission({ permission: 'clipboard-sanitized-write', requestingUrl: 'https://www.example.be/' }, taxes)).toBe(true);
    const NEVER_UNLESS_CONFIGURED: ElectronPermission[] = ['media', 'geolocation', 'notifications', 'clipboard-read', 'fullscreen'];
    for (const permission of NEVER_UNLESS_CONFIGURED) {
      expect(decidePermission({ permission, requestingUrl: 'https://www.example.be/', mediaTypes: ['video'] }, taxes), permission).toBe(false);
    }
  });

  it('never grants devices, the file system, screen capture or external applications', () => {
    const everything = { ...doctor, permissions: ['camera', 'microphone', 'geolocation', 'notifications', 'clipboard-read', 'fullscreen'] as const };
    const NEVER: ElectronPermission[] = ['fileSystem', 'openExternal', 'hid', 'usb', 'serial', 'midi', 'midiSysex', 'display-capture', 'window-management', 'idle-detection', 'pointerLock', 'keyboardLock', 'local-fonts', 'storage-access', 'unknown'];
    for (const permission of NEVER) {
      expect(decidePermission({ permission, requestingUrl: fromDoctor }, { ...everything, permissions: [...everything.permissions] }), permission).toBe(false);
    }
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'fullscreen'] as const) {
      expect(decidePermission({ permission, requestingUrl: fromDoctor }, { ...everything, permissions: [...everything.permissions] }), permission).toBe(true);
    }
  });
});
