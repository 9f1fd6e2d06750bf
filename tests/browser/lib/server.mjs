// Starts `lajna demo` on a free port with a fresh temporary data directory, and stops it.
//
// The binary is taken from $LAJNA_BIN (scripts/test sets it), else ../../target/debug/lajna.
// The demo users' password is fixed through LAJNA_DEMO_PASSWORD so that the tests know it.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');

export const PASSWORD = 'browser-tests-password-2025';

/** The lajna binary to run. */
export function lajnaBin() {
  const bin = process.env.LAJNA_BIN ? path.resolve(process.env.LAJNA_BIN) : path.join(repo, 'target', 'debug', 'lajna');
  if (!existsSync(bin)) {
    throw new Error(`lajna binary not found at ${bin}: build it with \`cargo build -p lajna-cli\` or set LAJNA_BIN`);
  }
  return bin;
}

/**
 * Builds the demo committee in a new temporary directory and serves it on 127.0.0.1 (port
 * chosen by the OS). Resolves once the server prints its `serving … http://ADDR/ar/` line.
 * `env` adds environment variables (e.g. LAJNA_NOTIFY_NOW, the scheduler's fixed clock).
 * @returns {Promise<{url: string, dataDir: string, stop: () => Promise<void>, log: () => string}>}
 */
export async function startServer({ timeoutMs = 60_000, env = {} } = {}) {
  const bin = lajnaBin();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lajna-browser-'));
  const child = spawn(bin, ['demo', '--data', dataDir, '--listen', '127.0.0.1:0'], {
    env: { ...process.env, LAJNA_DEMO_PASSWORD: PASSWORD, LAJNA_SECURE_COOKIES: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s) => {
    err += s;
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`lajna did not start within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`));
    }, timeoutMs);
    child.stdout.on('data', (s) => {
      out += s;
      const m = out.match(/serving .*?(http:\/\/[^/\s]+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`lajna exited (code ${code}, signal ${signal}) before serving\nstdout:\n${out}\nstderr:\n${err}`));
    });
  }).catch(async (e) => {
    child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  });

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      // `lajna serve` shuts down gracefully on Ctrl-C (SIGINT).
      child.kill('SIGINT');
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(kill);
    }
    await rm(dataDir, { recursive: true, force: true });
  }
  return { url, dataDir, stop, log: () => `stdout:\n${out}\nstderr:\n${err}` };
}
