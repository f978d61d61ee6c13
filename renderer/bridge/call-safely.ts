import type { Envelope } from '../../shared/contract';

/**
 * Every bridge call answers with an envelope, but a preload or transport with a bug
 * could still reject; the screens treat that like any failed call.
 */
export async function callSafely<T>(call: () => Promise<Envelope<T>>): Promise<Envelope<T>> {
  try {
    return await call();
  } catch (error) {
    return { ok: false, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } };
  }
}
