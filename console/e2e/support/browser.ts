import axe from 'axe-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from './server';

/**
 * Debian's Chromium driven by playwright-core (which downloads no browser).
 * The background-networking flags matter: without them Chromium reaches
 * out to Google's services, which this sandbox refuses.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The browser's own words (file and time inputs) in the console's language.
  '--lang=pt-BR',
  // A microphone that plays a tone, allowed without asking: voice notes.
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

/** Desktop and phone, as the screenshots in docs/console/ are taken. */
export const DESKTOP = { width: 1280, height: 720 };
export const PHONE = { width: 390, height: 844 };

/** How long a change may take to reach the screen: the console polls every 5 s until the stream exists. */
export const LIVE_TIMEOUT_MS = 15_000;

/** A fresh browser; each launch gets its own temporary user data dir. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
}

export interface AgentPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught exceptions in the page: a test fails when there are any. */
  errors: string[];
  /** How the agent signed in (null: not signed in by the fixture). */
  via: 'password' | 'token' | null;
}

/** A new browser context (its own storage: one agent) with one page on the console. */
export async function openConsole(browser: Browser, baseUrl: string): Promise<AgentPage> {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
  await page.goto(`${baseUrl}/`);
  return { page, context, errors, via: null };
}

// ---- sign-in ------------------------------------------------------------

export interface SignInAs {
  tenant: string;
  login: string;
  password: string;
  token: string;
  agentId: string;
  /** The agent's name, shown in the top bar once signed in. */
  name: string;
}

const sessionsByOrigin = new Map<string, Promise<boolean>>();

/** Does this server have POST /v1/sessions (sign-in by password)? 404 means not yet. */
export function serverHasSessions(origin: string): Promise<boolean> {
  let known = sessionsByOrigin.get(origin);
  if (!known) {
    known = fetch(`${origin}/v1/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then((r) => r.status !== 404);
    sessionsByOrigin.set(origin, known);
  }
  return known;
}

/**
 * The one way the tests sign an agent in. With POST /v1/sessions on the
 * server: the main form (Empresa, Usuário, Senha). Without it: the
 * secondary "Entrar com um token de API" form. Returns once the console
 * shows the agent's name in the top bar.
 */
export async function signIn(page: Page, who: SignInAs): Promise<'password' | 'token'> {
  const origin = new URL(page.url()).origin;
  const via = process.env.E2E_SIGNIN ?? ((await serverHasSessions(origin)) ? 'password' : 'token');
  if (via === 'password') {
    await page.getByLabel('Empresa').fill(who.tenant);
    await page.getByLabel('Usuário').fill(who.login);
    await page.getByLabel('Senha', { exact: true }).fill(who.password);
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  } else {
    await page.getByText('Entrar com um token de API').click();
    await page.getByLabel('Token de API').fill(who.token);
    await page.getByLabel('ID do atendente').fill(who.agentId);
    await page.getByRole('button', { name: 'Entrar com o token' }).click();
  }
  await page.locator('.agent-menu-button', { hasText: who.name }).waitFor();
  return via === 'password' ? 'password' : 'token';
}

// ---- accessibility -------------------------------------------------------

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/**
 * Runs axe-core on what the page shows now and throws on any violation of
 * impact serious or critical, naming the rule and the elements.
 */
export async function checkA11y(page: Page, screen: string): Promise<void> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) {
    await page.addScriptTag({ content: axe.source });
  }
  const violations = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } };
    const result = await w.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary ?? '' })),
    }));
  });
  if (process.env.E2E_AXE_VERBOSE === '1' && violations.length > 0) {
    console.log(`axe on ${screen}: ${violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`).join(', ')}`);
  }
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    const lines = bad.map(
      (v) => `- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)}: ${(n.failureSummary ?? '').replace(/\n/g, ' ')}`).join('\n')}`,
    );
    throw new Error(`axe found ${bad.length} serious/critical violation(s) on the ${screen} screen:\n${lines.join('\n')}`);
  }
}

// ---- screenshots ---------------------------------------------------------

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'docs', 'console');

/**
 * Saves what the page shows as docs/console/<name>.png (the viewport, as
 * the agent sees it). E2E_SCREENSHOTS=0 skips writing.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.E2E_SCREENSHOTS === '0') {
    return;
  }
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

/** Every screen visited is checked by axe and photographed. */
export async function visit(page: Page, name: string): Promise<void> {
  await checkA11y(page, name);
  await screenshot(page, name);
}
