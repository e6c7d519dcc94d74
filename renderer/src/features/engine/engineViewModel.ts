/** Pure helpers for the engine banner and the Engine view. */
import type { Endpoint, EngineInfo, EngineStatus } from '../../../../shared/api';
import { formatBytes } from '../../lib/format';

export interface StatusView {
  readonly tone: 'pending' | 'ok' | 'error';
  readonly headline: string;
  readonly detail: string | undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The service's message may already start "no Docker engine at <address>: "; say it once. */
function withoutRepeatedAddress(message: string, address: string): string {
  const prefixes = [`no docker engine at ${address}`, `cannot talk to the engine at ${address}`].map((p) =>
    p.toLowerCase(),
  );
  const lower = message.toLowerCase();
  for (const prefix of prefixes) {
    if (lower.startsWith(prefix)) {
      const rest = message.slice(prefix.length).replace(/^[\s:,-]+/, '');
      if (rest.length > 0) return rest;
    }
  }
  return message;
}

/** What the banner says for the current status query. */
export function describeStatus(status: EngineStatus | undefined, error: unknown): StatusView {
  if (status === undefined) {
    if (error !== null && error !== undefined) {
      return { tone: 'error', headline: `Cannot check the Docker engine: ${messageOf(error)}`, detail: undefined };
    }
    return { tone: 'pending', headline: 'Connecting to the Docker engine…', detail: undefined };
  }
  if (status.state === 'connected') {
    const parts = [
      `Docker Engine ${status.serverVersion ?? '(unknown version)'}`,
      ...(status.apiVersion === undefined ? [] : [`API ${status.apiVersion}`]),
      status.endpoint.address,
    ];
    return { tone: 'ok', headline: parts.join(' · '), detail: undefined };
  }
  const address = status.endpoint.address;
  const reason = withoutRepeatedAddress(status.error?.message ?? 'it did not answer', address);
  const detail = status.error?.detail;
  return {
    tone: 'error',
    headline: `No Docker engine at ${address}: ${reason}`,
    detail: detail === undefined || reason.includes(detail) ? undefined : detail,
  };
}

export function describeEndpointSource(endpoint: Endpoint): string {
  switch (endpoint.source) {
    case 'flag':
      return 'the --engine flag';
    case 'DOCKER_HOST':
      return 'the DOCKER_HOST environment variable';
    case 'context':
      return endpoint.context === undefined ? 'the current docker context' : `docker context "${endpoint.context}"`;
    case 'default':
      return 'the default socket';
    case 'added':
      return 'the engines added in Strata';
  }
}

export interface InfoSection {
  readonly title: string;
  readonly items: readonly { readonly label: string; readonly value: string }[];
}

/** `docker version` + `docker info`, grouped the way people look for them. */
export function engineInfoSections(info: EngineInfo): readonly InfoSection[] {
  const c = info;
  return [
    {
      title: 'Server',
      items: [
        { label: 'Server version', value: c.serverVersion },
        { label: 'API version', value: `${c.apiVersion} (minimum ${c.minApiVersion})` },
        { label: 'API spoken by Strata', value: c.apiVersionUsed ?? "unversioned (the engine's own)" },
        { label: 'Go version', value: c.goVersion },
        { label: 'Git commit', value: c.gitCommit },
        { label: 'Experimental', value: c.experimental ? 'yes' : 'no' },
      ],
    },
    {
      title: 'Host',
      items: [
        { label: 'Name', value: c.name },
        { label: 'Operating system', value: `${c.os} (${c.osType})` },
        { label: 'Kernel', value: c.kernelVersion },
        { label: 'Architecture', value: c.architecture },
        { label: 'CPUs', value: String(c.cpus) },
        { label: 'Memory', value: formatBytes(c.memoryBytes) },
      ],
    },
    {
      title: 'Storage',
      items: [
        { label: 'Storage driver', value: c.storageDriver },
        {
          label: 'Image store',
          value: c.imageStore === 'containerd' ? 'containerd (snapshotters)' : 'classic (graph drivers)',
        },
        { label: 'Data root', value: c.dataRoot },
        { label: 'Cgroup driver', value: c.cgroupDriver },
        { label: 'Logging driver', value: c.loggingDriver },
      ],
    },
    {
      title: 'Objects',
      items: [
        { label: 'Images', value: String(c.images) },
        {
          label: 'Containers',
          value: `${c.containers} (${c.containersRunning} running, ${c.containersPaused} paused, ${c.containersStopped} stopped)`,
        },
      ],
    },
    {
      title: 'Connection',
      items: [
        { label: 'Endpoint', value: c.endpoint.address },
        { label: 'Endpoint from', value: describeEndpointSource(c.endpoint) },
        { label: 'TLS', value: c.endpoint.tls ? 'yes' : 'no' },
        { label: 'Engine id in Strata', value: c.engineId },
      ],
    },
    {
      title: 'Compatibility',
      items:
        c.compatibility.length === 0
          ? [{ label: 'Features', value: 'Everything Strata does works the same on this engine.' }]
          : c.compatibility.map((note) => ({ label: note.topic, value: note.note })),
    },
  ];
}
