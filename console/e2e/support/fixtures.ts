import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { test as base } from 'vitest';
import { Tenant, type AgentAccount } from './api';
import { launchBrowser, openConsole, signIn, type AgentPage } from './browser';
import { startServer, type AtendeServer } from './server';

/**
 * The e2e test: `test('Behaviour', async ({ server, tenant, agentPage }) => …)`.
 *
 * - `browser`: one Chromium per test file;
 * - `server`: a fresh `atende serve` per test (own data dir and port);
 * - `tenant`: "acme" (America/Sao_Paulo) on that server, with its admin;
 * - `agentPage(account)`: a new browser context on the console, signed
 *   in as that agent. When the test ends, every page must have thrown no
 *   uncaught exception; when it fails, the pages are photographed into
 *   the temporary directory and the server's output is printed.
 */
export interface E2eFixtures {
  browser: Browser;
  server: AtendeServer;
  tenant: Tenant;
  agentPage: (account: AgentAccount, options?: { signIn?: boolean }) => Promise<AgentPage>;
}

export const test = base.extend<E2eFixtures>({
  browser: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const browser = await launchBrowser();
      try {
        await use(browser);
      } finally {
        await browser.close();
      }
    },
    { scope: 'file' },
  ],

  server: async ({ task }, use) => {
    const server = await startServer();
    try {
      await use(server);
    } finally {
      // Fixtures are torn down before onTestFailed hooks run; the result is known here.
      if (task.result?.state === 'fail') {
        console.error(`--- atende serve output ---\n${server.output()}`);
      }
      await server.stop();
    }
  },

  tenant: async ({ server }, use) => {
    await use(await Tenant.create(server.url, server.rootToken));
  },

  agentPage: async ({ browser, server, tenant, task }, use) => {
    const opened: Array<AgentPage & { who: string }> = [];
    const open = async (account: AgentAccount, options: { signIn?: boolean } = {}) => {
      const agent = await openConsole(browser, server.url);
      opened.push({ ...agent, who: account.id });
      if (options.signIn !== false) {
        agent.via = await signIn(agent.page, { tenant: tenant.id, login: account.login, password: account.password, token: account.token, agentId: account.id, name: account.name });
      }
      return agent;
    };
    try {
      await use(open);
      const errors = opened.flatMap((p) => p.errors.map((e) => `${p.who}: ${e}`));
      if (errors.length > 0) {
        throw new Error(`uncaught errors in the console:\n${errors.join('\n')}`);
      }
    } finally {
      for (const p of opened) {
        if (task.result?.state === 'fail') {
          const file = path.join(tmpdir(), `e2e-failed-${task.name}-${p.who}.png`);
          await p.page.screenshot({ path: file }).catch(() => undefined);
          console.error(`${p.who}'s page when the test failed: ${file}`);
        }
        await p.context.close().catch(() => undefined);
      }
    }
  },
});

export { expect } from 'vitest';
