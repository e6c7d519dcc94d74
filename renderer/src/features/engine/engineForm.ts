/** The "Add engine" form: what the user typed, checked with the contract's own schema before any call. */
import { api, type ArgsOf, type EngineCandidate } from '../../../../shared/api';

export interface EngineForm {
  readonly name: string;
  readonly host: string;
  /** tcp:// only: talk TLS to the engine. */
  readonly useTls: boolean;
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly verify: boolean;
}

export const EMPTY_ENGINE_FORM: EngineForm = {
  name: '',
  host: '',
  useTls: false,
  caFile: '',
  certFile: '',
  keyFile: '',
  verify: true,
};

export type EngineFormField = 'name' | 'host' | 'caFile' | 'certFile' | 'keyFile';

export type EngineFormCheck =
  | { readonly ok: true; readonly args: ArgsOf<'engines.add'> }
  | { readonly ok: false; readonly errors: Readonly<Partial<Record<EngineFormField | 'form', string>>> };

export const isTcpHost = (host: string): boolean => host.trim().toLowerCase().startsWith('tcp://');

const FIELD_NAMES: readonly EngineFormField[] = ['name', 'host', 'caFile', 'certFile', 'keyFile'];

/** The engines.add arguments of the form, or a message per field that is wrong. */
export function checkEngineForm(form: EngineForm): EngineFormCheck {
  const name = form.name.trim();
  const host = form.host.trim();
  const errors: Partial<Record<EngineFormField | 'form', string>> = {};
  if (name === '') errors.name = 'Give the engine a name.';
  if (host === '') errors.host = 'Enter the engine address.';
  const optional = (path: string): string | undefined => (path.trim() === '' ? undefined : path.trim());
  const tls =
    isTcpHost(host) && form.useTls
      ? {
          ...(optional(form.caFile) === undefined ? {} : { caFile: optional(form.caFile) }),
          ...(optional(form.certFile) === undefined ? {} : { certFile: optional(form.certFile) }),
          ...(optional(form.keyFile) === undefined ? {} : { keyFile: optional(form.keyFile) }),
          verify: form.verify,
        }
      : undefined;
  if (tls !== undefined && (tls.certFile === undefined) !== (tls.keyFile === undefined)) {
    errors[tls.certFile === undefined ? 'certFile' : 'keyFile'] =
      'A client certificate needs its key, and a key its certificate.';
  }
  const args = { name, host, ...(tls === undefined ? {} : { tls }) };
  const parsed = api['engines.add'].args.safeParse(args);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [first, second] = issue.path;
      const field = (first === 'tls' ? second : first) as EngineFormField | undefined;
      const key = field !== undefined && FIELD_NAMES.includes(field) ? field : 'form';
      errors[key] ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, args };
}

/** engines.add arguments for an engine found on this machine. */
export function candidateArgs(candidate: EngineCandidate): ArgsOf<'engines.add'> {
  return {
    name: candidate.name.slice(0, 64),
    host: candidate.host,
    ...(candidate.tls === null ? {} : { tls: candidate.tls }),
  };
}
