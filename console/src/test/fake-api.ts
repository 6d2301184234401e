import { ApiError } from '../api/error';
import type { ConsoleApi } from '../state/deps';
import { FakeServer } from './fake-server';

/**
 * A ConsoleApi over a FakeServer; methods a test does not provide answer
 * 422 unsupported, as the engine does for what it does not serve yet.
 */
export function fakeApi(server: FakeServer, overrides: Partial<ConsoleApi> = {}): ConsoleApi {
  const base: Partial<ConsoleApi> = {
    listConversations: server.listConversations,
    getConversation: server.getConversation,
    getAgent: server.getAgent,
    listAgents: server.listAgents,
    send: server.send,
    ...overrides,
  };
  return new Proxy(base, {
    get(target, prop: string) {
      const held = (target as Record<string, unknown>)[prop];
      if (held !== undefined) {
        return held;
      }
      return async () => {
        throw new ApiError(422, { code: 'unsupported', message: `${prop} is not available in this version yet` });
      };
    },
  }) as ConsoleApi;
}
