import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A real `atende serve` for one test: a fresh data directory, a free
 * loopback port, a random root token, and the built console (console/dist)
 * served at `/`. `restart()` stops it (SIGTERM) and starts it again on the
 * same data; `stop()` stops it and removes the data.
 *
 *   const server = await startServer();
 *   await page.goto(server.url);
 *   await server.stop();
 */
export interface AtendeServer {
  /** http://127.0.0.1:PORT */
  url: string;
  rootToken: string;
  dataDir: string;
  /** What the process printed so far (for failure messages). */
  output(): string;
  /** A clean stop and a start on the same data, address and token. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '../../..');
export const CONSOLE_DIST = path.join(REPO_ROOT, 'console', 'dist');
const BINARY = process.env.ATENDE_BIN ?? path.join(REPO_ROOT, 'build', 'atende');

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

export async function startServer(): Promise<AtendeServer> {
  if (!existsSync(BINARY)) {
    throw new Error(`${BINARY} is missing: build the engine first (scripts/build.sh)`);
  }
  if (!existsSync(path.join(CONSOLE_DIST, 'index.html'))) {
    throw new Error(`${CONSOLE_DIST}/index.html is missing: build the console first (scripts/build-console.sh)`);
  }
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'atende-e2e-'));
  const rootToken = `root-${randomBytes(16).toString('hex')}`;
  const listen = `127.0.0.1:${port}`;
  const url = `http://${listen}`;
  let output = '';
  let running = await launch(dataDir, listen, rootToken, (text) => (output += text)).catch((e: Error) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`atende serve did not start: ${e.message}\n${output}`);
  });

  return {
    url,
    rootToken,
    dataDir,
    output: () => output,
    restart: async () => {
      await terminate(running.child, running.exited);
      output += '--- restart ---\n';
      running = await launch(dataDir, listen, rootToken, (text) => (output += text)).catch((e: Error) => {
        throw new Error(`atende serve did not start again: ${e.message}\n${output}`);
      });
    },
    stop: async () => {
      await terminate(running.child, running.exited);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface Running {
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** One `atende serve` process, healthy; on failure it is stopped. */
async function launch(dataDir: string, listen: string, rootToken: string, onOutput: (text: string) => void): Promise<Running> {
  const child = spawn(BINARY, ['serve', '--data', dataDir, '--listen', listen], {
    env: { ...process.env, ATENDE_ROOT_TOKEN: rootToken, ATENDE_CONSOLE_DIR: CONSOLE_DIST },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (b: Buffer) => {
    output += b.toString();
    onOutput(b.toString());
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await waitUntilListening(child, exited, () => output);
    const health = await fetch(`http://${listen}/healthz`);
    if (!health.ok) {
      throw new Error(`GET /healthz answered ${health.status}`);
    }
  } catch (e) {
    await terminate(child, exited);
    throw e;
  }
  return { child, exited };
}

/** Resolves once the server prints its "listening on" line (it is ready then). */
function waitUntilListening(child: ChildProcess, exited: Promise<number | null>, output: () => string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no "listening on" line after ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const onData = () => {
      if (/listening on http/.test(output())) {
        done(null);
      }
    };
    const done = (error: Error | null) => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
      if (error) {
        reject(error);
      } else {
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => done(new Error(`exited with ${code}`)));
    onData();
  });
}

async function terminate(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** A port the kernel just handed out on loopback (free unless someone races us). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
