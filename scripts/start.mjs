// `npm start` (after the build): the desktop app when an Electron binary and a display are available,
// otherwise one line saying why and browser mode instead (out/server.cjs, which prints the URL to open).
// Arguments are passed on: `npm start -- --engine unix:///path/docker.sock`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const args = process.argv.slice(2);
const MAIN = path.join(root, 'out', 'main.cjs');
const SERVER = path.join(root, 'out', 'server.cjs');
const FETCH_TIMEOUT_MS = 90_000;

/** The Electron executable, or why there is none. */
function locateElectron() {
  let packageDir;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const hasPathFile = existsSync(path.join(packageDir, 'path.txt'));
  if (!hasPathFile && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    return { reason: 'the Electron binary was never downloaded' };
  }
  try {
    const entry = require.resolve('electron');
    delete require.cache[entry];
    const executable = require('electron');
    if (typeof executable === 'string' && existsSync(executable)) return { executable };
    return { reason: `the Electron binary is missing at ${String(executable)}` };
  } catch (error) {
    return { reason: firstLine(error) };
  }
}

function firstLine(error) {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n').find((line) => line.trim().length > 0) ?? 'unknown error').trim().slice(0, 200);
}

/** Linux and BSDs need an X11 or Wayland display for a window. */
function missingDisplay() {
  if (process.platform === 'darwin' || process.platform === 'win32') return undefined;
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return undefined;
  return 'there is no display: DISPLAY and WAYLAND_DISPLAY are not set';
}

/** One attempt to fetch the binary with electron's own installer; resolves to an error line or undefined. */
function fetchElectron() {
  const installer = path.join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return Promise.resolve('the electron installer is missing');
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
    const child = spawn(process.execPath, [installer], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 20_000) stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(`downloading it took longer than ${FETCH_TIMEOUT_MS / 1000} s`);
    }, FETCH_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve(firstLine(error));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(undefined);
      else {
        const lines = stderr.split('\n').map((line) => line.trim());
        const reason = lines.find((line) => /error/i.test(line) && !line.startsWith('at ')) ?? lines.find(Boolean);
        resolve(reason ? reason.replace(/^\w*Error:\s*/, '').slice(0, 200) : `the installer exited with code ${code}`);
      }
    });
  });
}

async function browserMode(reason) {
  process.stderr.write(`Electron is not available here (${reason}); starting browser mode instead.\n`);
  if (!existsSync(SERVER)) {
    process.stderr.write('out/server.cjs is missing: run `npm run build` first.\n');
    process.exit(1);
  }
  // In-process: the server prints its one URL line and handles SIGINT/SIGTERM itself.
  await import(pathToFileURL(SERVER).href);
}

function desktop(executable) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(executable, [MAIN, ...args], { cwd: root, env, stdio: 'inherit' });
  // Ctrl-C reaches Electron through the process group; a SIGTERM sent to us alone is passed on.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.once('error', (error) => {
    void browserMode(`it could not be started: ${firstLine(error)}`);
  });
  child.once('exit', (code, signal) => {
    process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0));
  });
}

async function main() {
  const display = missingDisplay();
  let located = locateElectron();
  if (!located.executable && !display) {
    const failure = await fetchElectron();
    located = locateElectron();
    if (!located.executable && failure) located = { reason: `${located.reason} and could not be fetched: ${failure}` };
  }
  if (located.executable && !display) {
    desktop(located.executable);
    return;
  }
  const reasons = [];
  if (!located.executable) reasons.push(located.reason);
  if (display) reasons.push(display);
  await browserMode(reasons.join('; '));
}

await main();
