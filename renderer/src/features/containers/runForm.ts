/** The Run dialog's form: raw field text in, containers.run arguments (checked by runArgsSchema) or errors per field out. */
import { runArgsSchema, type RunArgs } from '../../../../shared/api';
import { splitShellWords } from './shellWords';

export const RESTART_POLICIES = ['no', 'always', 'unless-stopped', 'on-failure'] as const;
export type RestartPolicy = (typeof RESTART_POLICIES)[number];
export const PROTOCOLS = ['tcp', 'udp', 'sctp'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export interface PortRow {
  readonly hostIp: string;
  readonly hostPort: string;
  readonly containerPort: string;
  readonly protocol: Protocol;
}

export interface VolumeRow {
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
}

export interface RunForm {
  readonly image: string;
  readonly name: string;
  /** Typed like a shell line; split into argv. */
  readonly command: string;
  readonly entrypoint: string;
  /** NAME=value, one a line. */
  readonly env: string;
  readonly ports: readonly PortRow[];
  readonly volumes: readonly VolumeRow[];
  readonly restartPolicy: RestartPolicy;
  readonly maxRetries: string;
  readonly autoRemove: boolean;
  readonly workingDir: string;
  readonly user: string;
  /** key=value, one a line. */
  readonly labels: string;
  readonly tty: boolean;
  readonly detach: boolean;
}

export const emptyPortRow: PortRow = { hostIp: '', hostPort: '', containerPort: '', protocol: 'tcp' };
export const emptyVolumeRow: VolumeRow = { source: '', target: '', readOnly: false };

export function initialRunForm(image: string | undefined): RunForm {
  return {
    image: image ?? '',
    name: '',
    command: '',
    entrypoint: '',
    env: '',
    ports: [],
    volumes: [],
    restartPolicy: 'no',
    maxRetries: '',
    autoRemove: false,
    workingDir: '',
    user: '',
    labels: '',
    tty: false,
    detach: true,
  };
}

/**
 * Field keys errors are reported under: `image`, `name`, `command`, `entrypoint`, `env`, `labels`, `restartPolicy`,
 * `maxRetries`, `autoRemove`, `workingDir`, `user`, `ports.<row>.<hostIp|hostPort|containerPort>`,
 * `volumes.<row>.<source|target>`.
 */
export type RunFormErrors = Readonly<Record<string, string>>;

export type RunFormCheck =
  | { readonly ok: true; readonly args: RunArgs; readonly errors: RunFormErrors }
  | { readonly ok: false; readonly errors: RunFormErrors };

interface Line {
  /** 1-based line number in the text area. */
  readonly line: number;
  readonly text: string;
}

/** Non-blank lines with their line numbers (values keep inner blanks; the line's ends are trimmed). */
function lines(text: string): Line[] {
  return text
    .split(/\r?\n/)
    .map((t, i) => ({ line: i + 1, text: t.trim() }))
    .filter((l) => l.text !== '');
}

const isBlankPort = (row: PortRow): boolean =>
  row.hostIp.trim() === '' && row.hostPort.trim() === '' && row.containerPort.trim() === '';
const isBlankVolume = (row: VolumeRow): boolean => row.source.trim() === '' && row.target.trim() === '';

/** A whole number from a field, NaN when it is not one (the schema then says what is wrong). */
function integer(text: string): number {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

/** Checks the form the way containers.run will (runArgsSchema), plus what the schema cannot see. */
export function checkRunForm(form: RunForm): RunFormCheck {
  const errors: Record<string, string> = {};
  const put = (key: string, message: string): void => {
    if (errors[key] === undefined) errors[key] = message;
  };

  const command = splitShellWords(form.command);
  if (!command.ok) put('command', command.reason);
  const entrypoint = splitShellWords(form.entrypoint);
  if (!entrypoint.ok) put('entrypoint', entrypoint.reason);

  const envLines = lines(form.env);
  const labelLines = lines(form.labels);
  const labels: Record<string, string> = {};
  for (const { line, text } of labelLines) {
    const eq = text.indexOf('=');
    const key = eq === -1 ? '' : text.slice(0, eq).trim();
    if (eq === -1 || key === '') {
      put('labels', `Line ${line} (${text}): a label is key=value.`);
      continue;
    }
    if (labels[key] !== undefined) put('labels', `Line ${line}: the label "${key}" is given twice.`);
    labels[key] = text.slice(eq + 1);
  }

  // Rows left blank are ignored; the others keep their index so errors land next to the right row.
  const portRows = form.ports.map((row, index) => ({ row, index })).filter(({ row }) => !isBlankPort(row));
  const volumeRows = form.volumes.map((row, index) => ({ row, index })).filter(({ row }) => !isBlankVolume(row));
  for (const { row, index } of portRows) {
    if (row.containerPort.trim() === '') put(`ports.${index}.containerPort`, 'A container port is needed.');
    else if (Number.isNaN(integer(row.containerPort)))
      put(`ports.${index}.containerPort`, 'A port is a number from 1 to 65535.');
    if (row.hostPort.trim() !== '' && Number.isNaN(integer(row.hostPort)))
      put(`ports.${index}.hostPort`, 'A port is a number from 1 to 65535.');
  }
  for (const { row, index } of volumeRows) {
    if (row.target.trim() === '') put(`volumes.${index}.target`, 'A path inside the container is needed.');
  }

  const onFailure = form.restartPolicy === 'on-failure';
  if (!onFailure && form.maxRetries.trim() !== '') put('maxRetries', 'Max retries applies to "on-failure" only.');
  if (onFailure && form.maxRetries.trim() !== '' && Number.isNaN(integer(form.maxRetries)))
    put('maxRetries', 'Max retries is a whole number from 0 to 1000.');
  if (form.autoRemove && form.restartPolicy !== 'no')
    put('autoRemove', 'Auto-remove cannot be combined with a restart policy: choose one.');

  const name = form.name.trim();
  const workingDir = form.workingDir.trim();
  const user = form.user.trim();
  const candidate: RunArgs = {
    image: form.image.trim(),
    ...(name === '' ? {} : { name }),
    command: command.ok ? [...command.argv] : [],
    entrypoint: entrypoint.ok ? [...entrypoint.argv] : [],
    env: envLines.map((l) => l.text),
    ports: portRows.map(({ row }) => ({
      containerPort: integer(row.containerPort),
      protocol: row.protocol,
      ...(row.hostPort.trim() === '' ? {} : { hostPort: integer(row.hostPort) }),
      ...(row.hostIp.trim() === '' ? {} : { hostIp: row.hostIp.trim() }),
    })),
    volumes: volumeRows.map(({ row }) => ({
      source: row.source.trim(),
      target: row.target.trim(),
      readOnly: row.readOnly,
    })),
    restartPolicy: form.restartPolicy,
    ...(onFailure && form.maxRetries.trim() !== '' ? { maxRetries: integer(form.maxRetries) } : {}),
    autoRemove: form.autoRemove,
    ...(workingDir === '' ? {} : { workingDir }),
    ...(user === '' ? {} : { user }),
    labels,
    tty: form.tty,
    detach: form.detach,
  };

  const parsed = runArgsSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [field, second, third] = issue.path;
      if (field === 'env' && typeof second === 'number') {
        const l = envLines[second];
        put('env', l === undefined ? issue.message : `Line ${l.line} (${l.text}): ${issue.message}`);
      } else if ((field === 'ports' || field === 'volumes') && typeof second === 'number') {
        const rows = field === 'ports' ? portRows : volumeRows;
        const index = rows[second]?.index ?? second;
        const message = third === 'hostIp' ? 'An IP address such as 127.0.0.1 or ::1.' : issue.message;
        put(typeof third === 'string' ? `${field}.${index}.${third}` : `${field}.${index}.row`, message);
      } else if (field === 'image' && candidate.image === '') {
        put('image', 'Give the image to run.');
      } else if (typeof field === 'string') {
        put(field, issue.message);
      } else {
        put('form', issue.message);
      }
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, args: candidate, errors };
}
