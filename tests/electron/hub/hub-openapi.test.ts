import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_API_OPERATIONS, HUB_ERROR_CODES, hubOpenApiDocument, refusalsOf, type OpenApiDocument } from '../../../electron/hub/hub-openapi';
import { HUB_API_PREFIX } from '../../../shared/hub-api';
import { hubFetch, startTestHub, type TestHub } from './hub-test-kit';

let kit: TestHub;
let served: OpenApiDocument;

beforeAll(async () => {
  kit = await startTestHub();
  const answer = await hubFetch<OpenApiDocument>(kit.url, '/openapi.json');
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
  served = answer.body;
});

afterAll(async () => {
  await kit.close();
});

/** Every `$ref` in a JSON value. */
function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') found.push(item);
      else refsIn(item, found);
    }
  }
  return found;
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1.0, served to anyone as built', () => {
    expect(served.openapi).toBe('3.1.0');
    expect(served).toEqual(JSON.parse(JSON.stringify(hubOpenApiDocument())));
    expect(served.info).toMatchObject({ title: 'EPN hub API', version: '1' });
  });

  it('lists exactly the routes the server has', () => {
    const fromServer = kit.hub.routes
      .filter((route) => route.url.startsWith(`${HUB_API_PREFIX}/`))
      .map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    const fromDocument = Object.entries(served.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(fromDocument).toEqual(fromServer);
    expect(fromServer.length).toBe(HUB_API_OPERATIONS.length);
  });

  it('resolves every reference to a component it holds', () => {
    const refs = refsIn(served);
    expect(refs.length).toBeGreaterThan(20);
    const schemas = (served.components as { schemas: Record<string, unknown> }).schemas;
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(schemas, ref).toHaveProperty(ref.slice('#/components/schemas/'.length));
    }
  });

  it('states who may call each operation, as role names of the bearer credential', () => {
    for (const operation of HUB_API_OPERATIONS) {
      const documented = served.paths[`${HUB_API_PREFIX}${operation.path}`]?.[operation.method] as { security: { deviceToken: string[] }[] };
      const roles = documented.security.flatMap((requirement) => requirement.deviceToken);
      expect(roles, operation.operationId).toEqual(operation.access === 'anyone' ? [] : [...operation.access]);
    }
  });

  it('documents every refusal as HubError JSON, and 429 with Retry-After', () => {
    for (const operation of HUB_API_OPERATIONS) {
      const responses = (served.paths[`${HUB_API_PREFIX}${operation.path}`]?.[operation.method] as { responses: Record<string, { content?: Record<string, { schema: unknown }>; headers?: Record<string, unknown> }> }).responses;
      for (const status of refusalsOf(operation)) {
        expect(responses[String(status)]?.content?.['application/json']?.schema, `${operation.operationId} ${status}`).toEqual({ $ref: '#/components/schemas/HubError' });
      }
      if (responses['429']) expect(responses['429'].headers).toHaveProperty('Retry-After');
    }
    expect(Object.values(HUB_ERROR_CODES).every((status) => status >= 400)).toBe(true);
  });

  it('describes request bodies with the strict schemas the hub validates with', () => {
    const schemas = (served.components as { schemas: Record<string, { additionalProperties?: unknown; required?: string[]; properties?: Record<string, unknown> }> }).schemas;
    expect(schemas.CreateHelpRequest).toMatchObject({ additionalProperties: false, required: ['clientRequestId', 'serviceId', 'language', 'delayMs'] });
    expect(schemas.PairingClaimRequest?.properties).toHaveProperty('kioskId');
    expect(schemas.StatisticsUpload).toMatchObject({ additionalProperties: false });
    const summary = served.paths[`${HUB_API_PREFIX}/statistics/summary`]?.get as { parameters: { name: string; required: boolean }[] };
    expect(summary.parameters.map((parameter) => [parameter.name, parameter.required])).toEqual([
      ['from', true],
      ['to', true],
      ['groupBy', false],
    ]);
  });
});
