/** engine.diagnostics as plain text to paste into a bug report: one block for Strata, one per engine. */
import type { DiagnosticLog, Diagnostics, EngineDiagnostics } from '../../../../shared/api';

function logLine(record: DiagnosticLog): string {
  const fields = Object.entries(record.fields).map(([key, value]) => `${key}=${value}`);
  return `    ${record.time} ${record.level.toUpperCase()} ${[record.message, ...fields].join(' ')}`;
}

function recentLines(records: readonly DiagnosticLog[]): readonly string[] {
  return records.length === 0
    ? ['  Recent warnings and errors: none']
    : [`  Recent warnings and errors (${records.length}, oldest first):`, ...records.map(logLine)];
}

function engineBlock(engine: EngineDiagnostics): readonly string[] {
  const versions =
    engine.serverVersion === undefined && engine.apiVersion === undefined
      ? 'unknown'
      : `${engine.serverVersion ?? 'unknown'} (API ${engine.apiVersion ?? 'unknown'})`;
  return [
    `Engine ${engine.engineId}`,
    `  Endpoint: ${engine.kind} ${engine.address}, TLS ${engine.tls ? 'on' : 'off'}`,
    `  State: ${engine.state}${engine.error === undefined ? '' : ` (${engine.error})`}`,
    `  Engine version: ${versions}`,
    ...recentLines(engine.recent),
  ];
}

export function formatDiagnostics(diagnostics: Diagnostics): string {
  const { app, platform } = diagnostics;
  const runtimes = [
    `Node ${platform.node}`,
    ...(platform.electron === undefined ? [] : [`Electron ${platform.electron}`]),
    ...(platform.chrome === undefined ? [] : [`Chrome ${platform.chrome}`]),
  ];
  const blocks: (readonly string[])[] = [
    [
      `Strata diagnostics, ${diagnostics.generatedAt}`,
      `Strata ${app.version} (${app.mode === 'desktop' ? 'desktop app' : 'browser mode'})`,
      `OS: ${platform.os} ${platform.osRelease} ${platform.arch}`,
      `Runtime: ${runtimes.join(', ')}`,
      ...recentLines(diagnostics.recent),
    ],
    ...diagnostics.engines.map(engineBlock),
  ];
  return `${blocks.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}
