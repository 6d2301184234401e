import { describe, it } from 'vitest';
import { Tenant } from '../e2e/support/api';
import { launchBrowser, openConsole, signIn } from '../e2e/support/browser';
import { startServer } from '../e2e/support/server';

// How fast the inbox paints with a big tenant: a real `atende serve`,
// CONVERSATIONS (default 100,000) waiting conversations in one team, one
// agent of that team in real Chromium. It prints the figures; it asserts
// only that the screen shows what it should (a benchmark, not a timed
// test). Run: scripts/bench-console.sh [CONVERSATIONS].

const N = Number(process.env.CONVERSATIONS ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 5);
const BATCH = 10_000;
const SCROLL_PAGES = 20;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

describe('inbox paint', () => {
  it(`TheInboxPaintsWith${N}OpenConversations`, async () => {
    const server = await startServer();
    const browser = await launchBrowser();
    try {
      const tenant = await Tenant.create(server.url, server.rootToken);
      await tenant.team('suporte', 'Suporte');
      await tenant.channel('wa-vendas', 'Vendas', '5511999990000', 'suporte');
      const ana = await tenant.agent('ana', 'Ana Lima', ['suporte']);

      // N customers, each its own waiting conversation, in arrays of 10,000.
      const loadStart = performance.now();
      const base = Date.now() - N * 10;
      for (let from = 0; from < N; from += BATCH) {
        const envelopes = [];
        for (let i = from; i < Math.min(N, from + BATCH); i++) {
          const id = `wamid.bench${i}`;
          envelopes.push({
            id,
            type: 'message.received',
            at: new Date(base + i * 10).toISOString(),
            data: { channel: 'wa-vendas', from: String(5511900000000 + i), name: `Cliente ${i}`, message_id: id, kind: 'text', text: `Mensagem do cliente ${i}` },
          });
        }
        await tenant.events(envelopes);
      }
      const loadMs = performance.now() - loadStart;

      const agent = await openConsole(browser, server.url);
      const { page } = agent;
      await signIn(page, { tenant: tenant.id, login: ana.login, password: ana.password, token: ana.token, agentId: ana.id, name: ana.name });
      const total = N.toLocaleString('pt-BR');

      // A reload with the session kept: navigation start → first rows and the count painted.
      const paints: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        await page.reload();
        const handle = await page.waitForFunction(
          (want) => {
            const rows = document.querySelectorAll('[role=option]').length;
            const tab = document.querySelector('[role=tab][aria-selected=true]')?.textContent ?? '';
            return rows > 0 && tab.includes(want) ? performance.now() : 0;
          },
          total,
          { polling: 'raf', timeout: 30_000 },
        );
        paints.push((await handle.jsonValue()) as number);
      }

      // Changing the order (Mais antigas ↔ Mais recentes): choice → the other end's first row painted.
      const firstRow = () => page.evaluate(() => document.querySelector('[role=option]')?.id ?? '');
      const switches: number[] = [];
      for (let run = 0; run < RUNS * 2; run++) {
        const before = await firstRow();
        const t0 = performance.now();
        await page.getByLabel('Ordem').selectOption(run % 2 === 0 ? 'oldest' : 'recent');
        await page.waitForFunction(
          (was) => {
            const id = document.querySelector('[role=option]')?.id;
            return id !== undefined && id !== was;
          },
          before,
          { polling: 'raf', timeout: 10_000 },
        );
        switches.push(performance.now() - t0);
      }

      // Scrolling down SCROLL_PAGES pages of 50: each new page's rows, and the DOM stays small.
      const list = page.getByRole('listbox', { name: 'Conversas' });
      const pages: number[] = [];
      for (let p = 0; p < SCROLL_PAGES; p++) {
        const want = (p + 2) * 50;
        const t0 = performance.now();
        await list.evaluate((el) => {
          el.scrollTop = el.scrollHeight;
        });
        await page.waitForFunction(
          (n) => {
            const spacer = document.querySelector<HTMLElement>('.vlist-spacer');
            const row = document.querySelector<HTMLElement>('.vlist-row');
            return spacer !== null && row !== null && Math.round(spacer.offsetHeight / row.offsetHeight) >= n;
          },
          want,
          { polling: 'raf', timeout: 10_000 },
        );
        pages.push(performance.now() - t0);
      }
      const dom = await page.evaluate(() => ({
        rows: document.querySelectorAll('[role=option]').length,
        nodes: document.getElementsByTagName('*').length,
        heap: (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
      }));

      console.log(
        [
          `inbox with ${total} waiting conversations (one team, agent "ana"), Chromium ${browser.version()}, 1280×720`,
          `  load through POST /v1/events: ${(loadMs / 1000).toFixed(1)} s (${Math.round(N / (loadMs / 1000)).toLocaleString('en')} conversations/s)`,
          `  reload → first rows and the count painted: median ${fmt(median(paints))}, max ${fmt(Math.max(...paints))} (${paints.map(fmt).join(', ')})`,
          `  order changed → the other end's rows painted: median ${fmt(median(switches))}, max ${fmt(Math.max(...switches))}`,
          `  scroll to the end → next page of 50 painted: median ${fmt(median(pages))}, max ${fmt(Math.max(...pages))} (${SCROLL_PAGES} pages)`,
          `  after ${(SCROLL_PAGES + 1) * 50} rows loaded: ${dom.rows} rows and ${dom.nodes} elements in the DOM, JS heap ${(dom.heap / 1048576).toFixed(1)} MiB`,
        ].join('\n'),
      );
      await agent.context.close();
    } finally {
      await browser.close();
      await server.stop();
    }
  }, 600_000);
});
