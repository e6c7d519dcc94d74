/**
 * Engine API version negotiation, as the docker CLI does it: ask the engine (unversioned GET /version) which
 * versions it speaks, then send every request as `/v<version>/…` with the newest version both sides know. Strata's
 * code was read against every API change from 1.41 (Engine 20.10, the lab) to NEWEST_API; an engine newer than
 * that is spoken to at NEWEST_API, which it still accepts unless its minimum is above it.
 */

/** The oldest API Strata supports: Docker Engine 20.10. */
export const OLDEST_API = '1.41';
/** The newest API whose changes Strata's requests and parsers were checked against (Docker Engine 29). */
export const NEWEST_API = '1.52';

/** Compares two `major.minor` API versions; NaN-free: unparsable parts count as 0. */
export function compareApi(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [bMajor = 0, bMinor = 0] = b.split('.').map((part) => Number.parseInt(part, 10) || 0);
  return aMajor !== bMajor ? aMajor - bMajor : aMinor - bMinor;
}

export function apiAtLeast(version: string | undefined, minimum: string): boolean {
  return version !== undefined && compareApi(version, minimum) >= 0;
}

const API_PATTERN = /^\d+\.\d+$/;

export interface Negotiated {
  /** The version every request is sent with, or undefined to send unversioned paths (the engine's own newest). */
  readonly version: string | undefined;
  /** The engine's newest and oldest accepted API versions, as it said. */
  readonly engineApi: string | undefined;
  readonly engineMinApi: string | undefined;
  /** In words, when something about the versions deserves the user's attention; else null. */
  readonly note: string | null;
}

/** Picks the version to speak from what the engine's /version answered. */
export function negotiateApi(engineApi: string | undefined, engineMinApi: string | undefined): Negotiated {
  const api = engineApi !== undefined && API_PATTERN.test(engineApi) ? engineApi : undefined;
  const min = engineMinApi !== undefined && API_PATTERN.test(engineMinApi) ? engineMinApi : undefined;
  if (api === undefined) {
    return {
      version: undefined,
      engineApi,
      engineMinApi,
      note: 'The engine did not say which API versions it speaks; Strata sends unversioned requests.',
    };
  }
  if (compareApi(api, OLDEST_API) < 0) {
    return {
      version: api,
      engineApi: api,
      engineMinApi: min,
      note: `This engine speaks API ${api}, older than ${OLDEST_API} (Docker Engine 20.10), the oldest Strata is built for. Listing and inspecting work; some actions may be refused by the engine. Updating Docker fixes this.`,
    };
  }
  let version = compareApi(api, NEWEST_API) > 0 ? NEWEST_API : api;
  let note: string | null = null;
  if (min !== undefined && compareApi(version, min) < 0) {
    version = min;
    note = `This engine accepts API ${min} or newer only; Strata speaks ${min}, newer than the ${NEWEST_API} it was checked against, so some fields may look different.`;
  }
  return { version, engineApi: api, engineMinApi: min, note };
}

/** Whether /info says images live in containerd's content store (`DriverStatus: [["driver-type", "io.containerd.snapshotter.v1"]]`). */
export function usesContainerdStore(info: unknown): boolean {
  const status = typeof info === 'object' && info !== null ? (info as Record<string, unknown>)['DriverStatus'] : null;
  if (!Array.isArray(status)) return false;
  return status.some(
    (pair) =>
      Array.isArray(pair) &&
      pair[0] === 'driver-type' &&
      typeof pair[1] === 'string' &&
      pair[1].startsWith('io.containerd.snapshotter'),
  );
}

export interface CompatibilityNote {
  readonly topic: string;
  readonly note: string;
}

/** What works differently on an engine, for the Engine view: derived from the negotiated API and the image store. */
export function compatibilityNotes(negotiated: Negotiated, containerdStore: boolean): readonly CompatibilityNote[] {
  const notes: CompatibilityNote[] = [];
  if (negotiated.note !== null) notes.push({ topic: 'API version', note: negotiated.note });
  const used = negotiated.version ?? negotiated.engineApi;
  if (apiAtLeast(used, '1.42')) {
    notes.push({
      topic: 'Volume cleanup',
      note: 'From API 1.42 the engine prunes only anonymous volumes unless asked for all; Strata asks for all unused volumes, as Docker 20.10 did, and its preview lists every one, named ones included.',
    });
  }
  if (apiAtLeast(used, '1.44')) {
    notes.push({
      topic: 'Save',
      note: 'Docker 25 and later save images as an OCI layout (index.json and blobs/) with a manifest.json beside it; Strata checks those archives the same way before putting them in place.',
    });
  }
  if (containerdStore) {
    notes.push({
      topic: 'Image store',
      note: "Images live in containerd's content store: an image ID is its manifest or index digest, sizes count both the compressed layers and their unpacked snapshots, and a multi-platform image may list platforms that are not pulled. Layers are still matched by their uncompressed digests (diffIDs), so the History and Layers views work as with the classic store.",
    });
  }
  return notes;
}
