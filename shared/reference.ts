/**
 * Image references, following the grammar of distribution/reference:
 *
 *   reference      := name [ ":" tag ] [ "@" digest ]
 *   name           := [ domain "/" ] path-component [ "/" path-component ]*
 *   domain         := domain-component [ "." domain-component ]* [ ":" port ]
 *   path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag            := [\w][\w.-]{0,127}
 *   digest         := algorithm ":" hex{32,}
 *
 * Image IDs (`sha256:<hex>`, or a hex prefix) also parse, as the engine accepts them wherever a
 * reference goes.
 */

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const PORT = /^[0-9]+$/;
const TAG = /^[\w][\w.-]*$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const IMAGE_ID = /^(?:sha256:)?[0-9a-f]{64}$/;

export const MAX_TAG_LENGTH = 128;
export const MAX_NAME_LENGTH = 255;

export interface ParsedReference {
  /** The whole reference as given. */
  readonly raw: string;
  /** Repository name including the domain, if one was given: `127.0.0.1:5000/team/app`. */
  readonly name: string;
  readonly domain: string | undefined;
  /** Repository path without the domain: `team/app`. */
  readonly path: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

export type ReferenceResult =
  { readonly ok: true; readonly value: ParsedReference } | { readonly ok: false; readonly reason: string };

const HINT =
  'use lowercase letters, digits and . _ - in names, for example "alpine:3.19" or "127.0.0.1:5000/team/app:v1"';

function fail(input: string, why: string): ReferenceResult {
  const shown = input.length > 80 ? `${input.slice(0, 77)}...` : input;
  return { ok: false, reason: `"${shown}" is not a valid image reference: ${why}; ${HINT}.` };
}

function isDomain(candidate: string): boolean {
  const colon = candidate.lastIndexOf(':');
  const host = colon === -1 ? candidate : candidate.slice(0, colon);
  const port = colon === -1 ? undefined : candidate.slice(colon + 1);
  if (port !== undefined && !PORT.test(port)) return false;
  if (host.startsWith('[') && host.endsWith(']')) return /^\[[0-9a-fA-F:]+\]$/.test(host);
  return host.split('.').every((part) => DOMAIN_COMPONENT.test(part));
}

/** Parses an image reference; the reason on failure is a sentence a user can act on. */
export function parseReference(input: string): ReferenceResult {
  if (input.length === 0) return fail(input, 'it is empty');
  if (/\s/.test(input)) return fail(input, 'it contains whitespace');
  if (isPrefixedImageId(input)) {
    return {
      ok: true,
      value: { raw: input, name: input, domain: undefined, path: input, tag: undefined, digest: undefined },
    };
  }

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return fail(input, `"${digest}" is not a digest (algorithm:hex, e.g. sha256:…)`);
  }

  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon !== -1 && !rest.slice(lastColon + 1).includes('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (tag.length === 0) return fail(input, 'the tag after ":" is empty');
    if (tag.length > MAX_TAG_LENGTH) {
      return fail(input, `the tag is ${tag.length} characters long, more than ${MAX_TAG_LENGTH}`);
    }
    if (!TAG.test(tag)) {
      return fail(
        input,
        `the tag "${tag}" may contain only letters, digits, _ . and -, and must not start with . or -`,
      );
    }
  }

  if (rest.length === 0) return fail(input, 'the repository name is missing');
  if (rest.length > MAX_NAME_LENGTH) {
    return fail(input, `the repository name is ${rest.length} characters long, more than ${MAX_NAME_LENGTH}`);
  }

  const components = rest.split('/');
  let domain: string | undefined;
  const first = components[0] ?? '';
  if (
    components.length > 1 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())
  ) {
    if (!isDomain(first)) return fail(input, `"${first}" is not a valid registry host[:port]`);
    domain = first;
    components.shift();
  }

  for (const component of components) {
    if (component.length === 0)
      return fail(input, 'it has an empty path component ("//" or a leading or trailing "/")');
    if (!PATH_COMPONENT.test(component)) {
      const bad = [...component].find((c) => !/[a-zA-Z0-9._-]/.test(c));
      if (bad !== undefined) return fail(input, `"${bad}" is not allowed in a repository name`);
      if (component !== component.toLowerCase()) {
        return fail(input, `repository names must be lowercase ("${component}")`);
      }
      return fail(input, `"${component}" must start and end with a letter or digit, with single separators between`);
    }
  }

  const path = components.join('/');
  const name = domain === undefined ? path : `${domain}/${path}`;
  return { ok: true, value: { raw: input, name, domain, path, tag, digest } };
}

/** True for an image ID: 64 lowercase hex digits, with or without the `sha256:` prefix. */
export function isImageId(value: string): boolean {
  return IMAGE_ID.test(value);
}

/** `sha256:<64 hex>`: the form of an image ID that can never be a repository name. */
function isPrefixedImageId(value: string): boolean {
  return value.startsWith('sha256:') && IMAGE_ID.test(value);
}

/**
 * A reference that can be pulled: valid, and not an image ID (`sha256:<hex>` names no repository). The one rule
 * the pull dialog and the engine's `images.pull` apply.
 */
export function pullableReference(value: string): ReferenceResult {
  const parsed = parseReference(value);
  if (!parsed.ok) return parsed;
  if (isPrefixedImageId(value)) {
    return {
      ok: false,
      reason: `"${value}" is an image ID, which cannot be pulled; pull by name, for example "alpine:3.19" or "alpine@sha256:…".`,
    };
  }
  return parsed;
}

/** True when the reference parses. */
export function isValidReference(input: string): boolean {
  return parseReference(input).ok;
}

/**
 * The reference as it may go into an engine URL path. The grammar already excludes `?`, `#`, `%`
 * and spaces; encoding is the second line of defence, keeping `/`, `:` and `@`, which the engine
 * expects literally.
 */
export function encodeReferenceForPath(reference: string): string {
  return encodeURIComponent(reference).replace(/%2F/g, '/').replace(/%3A/g, ':').replace(/%40/g, '@');
}

/** Splits a reference for the engine's pull API (`fromImage` + `tag`); the tag defaults to latest. */
export function pullParameters(parsed: ParsedReference): { readonly fromImage: string; readonly tag: string } {
  if (parsed.digest !== undefined) return { fromImage: parsed.name, tag: parsed.digest };
  return { fromImage: parsed.name, tag: parsed.tag ?? 'latest' };
}
