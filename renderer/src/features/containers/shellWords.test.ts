import { describe, expect, it } from 'vitest';
import { formatArgv, splitShellWords } from './shellWords';

const argv = (line: string): readonly string[] => {
  const result = splitShellWords(line);
  if (!result.ok) throw new Error(result.reason);
  return result.argv;
};

describe('splitShellWords', () => {
  it('splits on blanks, collapsing runs of them', () => {
    expect(argv('  sleep   100\t ')).toEqual(['sleep', '100']);
    expect(argv('')).toEqual([]);
    expect(argv('   ')).toEqual([]);
  });

  it('keeps single-quoted text literally, backslashes included', () => {
    expect(argv(`sh -c 'echo "hi there" \\n $HOME'`)).toEqual(['sh', '-c', 'echo "hi there" \\n $HOME']);
  });

  it('lets a backslash escape only \\ " $ ` inside double quotes', () => {
    expect(argv('echo "a \\"b\\" \\$x \\\\ \\n"')).toEqual(['echo', 'a "b" $x \\ \\n']);
  });

  it('joins quoted and unquoted parts of one word, and keeps empty words', () => {
    expect(argv(`--name=" my app"'!' x'' "" ''`)).toEqual(['--name= my app!', 'x', '', '']);
  });

  it('takes a backslash outside quotes as "the next character literally"', () => {
    expect(argv('touch a\\ b c\\"d \\\'e')).toEqual(['touch', 'a b', 'c"d', "'e"]);
    expect(argv('one \\\ntwo')).toEqual(['one', 'two']);
  });

  it('interprets no variables, globs or operators', () => {
    expect(argv('echo $HOME *.txt && ls | wc')).toEqual(['echo', '$HOME', '*.txt', '&&', 'ls', '|', 'wc']);
  });

  it('reports unclosed quotes and a trailing backslash', () => {
    expect(splitShellWords('echo "hi')).toEqual({ ok: false, reason: 'A double quote (") is not closed.' });
    expect(splitShellWords("echo 'hi")).toEqual({ ok: false, reason: "A single quote (') is not closed." });
    expect(splitShellWords('echo hi\\')).toEqual({ ok: false, reason: 'The line ends with a lone backslash.' });
  });

  it('formats argv back exactly', () => {
    expect(formatArgv(['sh', '-c', 'echo "x"'])).toBe('["sh", "-c", "echo \\"x\\""]');
    expect(formatArgv([])).toBe('[]');
  });
});
