/**
 * The hub restarted in the middle of a working day: closed and started again on the same
 * data folder and port, as a power cut and a reboot of the staff PC would do.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceListSchema } from '../../../electron/hub/hub-openapi';
import { HelpRequestListSchema, HelpRequestViewSchema, HubStatisticsSummarySchema, type HelpRequestView } from '../../../shared/hub-api';
import { emptyDailyFigures } from '../../../shared/statistics/daily-figures';
import { heartbeatBody, helpRequestBody, HubEventReader, hubFetch, startTestHub, type PairedDevice, type TestHub } from './hub-test-kit';

let kit: TestHub;
let staff: PairedDevice;
let kiosk: PairedDevice;
const readers: HubEventReader[] = [];

beforeEach(async () => {
  kit = await startTestHub();
  staff = await kit.pair('staff');
  kiosk = await kit.pair('kiosk', { name: 'PC 3' });
});

afterEach(async () => {
  for (const reader of readers.splice(0)) reader.close();
  await kit.close();
});

async function callHelp(): Promise<HelpRequestView> {
  const answer = await hubFetch(kit.url, '/help-requests', { token: kiosk.token, json: helpRequestBody() });
  expect(answer.status).toBe(201);
  return HelpRequestViewSchema.parse(answer.body);
}

describe('a hub restarted in the middle', () => {
  it('keeps every paired device and its credential', async () => {
    const before = DeviceListSchema.parse((await hubFetch(kit.url, '/devices', { token: staff.token })).body).devices;
    await kit.restart();
    const after = DeviceListSchema.parse((await hubFetch(kit.url, '/devices', { token: staff.token })).body).devices;
    expect(after.map((device) => device.deviceId).sort()).toEqual(before.map((device) => device.deviceId).sort());
    expect((await hubFetch(kit.url, '/heartbeat', { token: kiosk.token, json: heartbeatBody() })).status).toBe(200);
  });

  it('keeps an open request, which a helper can then acknowledge and the kiosk then sees', async () => {
    const request = await callHelp();
    await kit.restart();
    const open = HelpRequestListSchema.parse((await hubFetch(kit.url, '/help-requests', { token: staff.token })).body).requests;
    expect(open).toEqual([request]);
    const acknowledged = await hubFetch(kit.url, `/help-requests/${request.id}/acknowledge`, { method: 'POST', token: staff.token });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ id: request.id, state: 'acknowledged', revision: 2 });
    const seenByKiosk = await hubFetch(kit.url, `/help-requests/${request.id}?after=1`, { token: kiosk.token });
    expect(seenByKiosk.body).toEqual(acknowledged.body);
  });

  it('still knows a retried request after the restart (the kiosk never saw the first answer)', async () => {
    const body = helpRequestBody();
    const first = HelpRequestViewSchema.parse((await hubFetch(kit.url, '/help-requests', { token: kiosk.token, json: body })).body);
    await kit.restart();
    const retry = await hubFetch(kit.url, '/help-requests', { token: kiosk.token, json: body });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first);
  });

  it('ends the dashboards\' streams; a reconnecting dashboard gets a snapshot holding the open request', async () => {
    const reader = await HubEventReader.open(kit.url, staff.token);
    readers.push(reader);
    expect((await reader.next()).type).toBe('snapshot');
    const request = await callHelp();
    await reader.next((event) => event.type === 'help-request');
    await kit.restart();
    await reader.end();

    const reconnected = await HubEventReader.open(kit.url, staff.token);
    readers.push(reconnected);
    const snapshot = await reconnected.next();
    expect(snapshot).toMatchObject({ type: 'snapshot', requests: [request] });
    // And the stream is live again.
    const next = await callHelp();
    expect(await reconnected.next()).toMatchObject({ type: 'help-request', request: { id: next.id } });
  });

  it('counts an upload made before the restart, once', async () => {
    const upload = { kioskId: kiosk.kioskId, kiosk: { name: 'PC 3', site: '' }, days: [{ ...emptyDailyFigures('2025-01-06'), sessions: 12 }] };
    expect((await hubFetch(kit.url, '/statistics/uploads', { token: kiosk.token, json: upload })).status).toBe(200);
    await kit.restart();
    // The kiosk did not hear the answer and sends it again.
    expect((await hubFetch(kit.url, '/statistics/uploads', { token: kiosk.token, json: upload })).body).toEqual({ stored: 0, replaced: 1 });
    const summary = HubStatisticsSummarySchema.parse((await hubFetch(kit.url, '/statistics/summary?from=2025-01-06&to=2025-01-06', { token: staff.token })).body);
    expect(summary.days[0]?.sessions).toBe(12);
    expect(summary.kioskCount).toBe(1);
  });
});
