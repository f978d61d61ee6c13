/**
 * The help channel until the kiosk is paired with an EPN hub or a webhook (the help-call
 * issue builds those). It tells the truth: nobody is notified, so the visitor is asked
 * to call a helper in the room.
 */
import type { HelpChannel, HelpRequest } from './kiosk-handlers';
import type { HelpOutcome } from '../../shared/contract';

export function createUnconfiguredHelpChannel(onRequest: (request: HelpRequest) => void = () => {}): HelpChannel {
  return {
    async request(request: HelpRequest): Promise<HelpOutcome> {
      onRequest(request);
      return { state: 'no-channel' };
    },
  };
}
