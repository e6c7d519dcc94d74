/** A shell line split into argv the way a POSIX shell splits words (quotes and backslashes; no expansion). */

export type ShellWords =
  { readonly ok: true; readonly argv: readonly string[] } | { readonly ok: false; readonly reason: string };

/** Characters a backslash escapes inside double quotes (elsewhere the backslash stays). */
const DOUBLE_QUOTE_ESCAPES = new Set(['\\', '"', '$', '`', '\n']);

/**
 * Splits `line` into words: blanks separate words; '…' keeps everything literally; "…" keeps everything but lets a
 * backslash escape \ " $ ` and newline; a backslash outside quotes keeps the next character (a backslash-newline is
 * dropped). `''` and `""` make an empty word. Variables, globs and operators are not interpreted.
 */
export function splitShellWords(line: string): ShellWords {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
      i += 1;
    } else if (ch === '\\') {
      if (i + 1 >= line.length) return { ok: false, reason: 'The line ends with a lone backslash.' };
      const next = line[i + 1]!;
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
      i += 2;
    } else if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) return { ok: false, reason: "A single quote (') is not closed." };
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      let j = i + 1;
      let closed = false;
      while (j < line.length) {
        const c = line[j]!;
        if (c === '"') {
          closed = true;
          break;
        }
        if (c === '\\' && j + 1 < line.length && DOUBLE_QUOTE_ESCAPES.has(line[j + 1]!)) {
          if (line[j + 1] !== '\n') word += line[j + 1];
          j += 2;
        } else {
          word += c;
          j += 1;
        }
      }
      if (!closed) return { ok: false, reason: 'A double quote (") is not closed.' };
      inWord = true;
      i = j + 1;
    } else {
      word += ch;
      inWord = true;
      i += 1;
    }
  }
  if (inWord) argv.push(word);
  return { ok: true, argv };
}

/** argv shown back as a JSON array (exact, including blanks and quotes): `["sh", "-c", "echo hi"]`. */
export function formatArgv(argv: readonly string[]): string {
  return `[${argv.map((a) => JSON.stringify(a)).join(', ')}]`;
}
