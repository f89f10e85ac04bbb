// Expanding command-line PATHs into messages: a message file, an mbox, a Maildir or a directory of files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { splitMbox } from '../parse/mbox.js';

export interface InputMessage {
  /** The path the message came from, as given (joined with the directory as given). */
  source: string;
  /** Index of the message within its source (an mbox holds several). */
  index: number;
  raw: Buffer;
}

export interface InputError {
  source: string;
  error: string;
}

function isMaildir(dir: string): boolean {
  try {
    return statSync(join(dir, 'cur')).isDirectory() && statSync(join(dir, 'new')).isDirectory();
  } catch {
    return false;
  }
}

/** Files under a directory, sorted by name, recursively; a Maildir yields new/ then cur/. */
export function listFiles(dir: string): string[] {
  if (isMaildir(dir)) {
    return ['new', 'cur'].flatMap((sub) => {
      const d = join(dir, sub);
      return readdirSync(d).filter((n) => !n.startsWith('.')).sort().map((n) => join(d, n));
    });
  }
  const out: string[] = [];
  for (const ent of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (ent.name.startsWith('.')) continue;
    const p = join(dir, ent.name);
    if (ent.isDirectory()) out.push(...listFiles(p));
    else if (ent.isFile()) out.push(p);
  }
  return out;
}

/** Yield every message of every path in order; unreadable paths yield an error entry. */
export function* expandInputs(paths: readonly string[]): Generator<InputMessage | InputError> {
  for (const path of paths) {
    // read first (one open/read/close); only a directory costs a second look
    let first: Buffer | undefined;
    let files: string[];
    try {
      first = readFileSync(path);
      files = [path];
    } catch (err) {
      try {
        if ((err as NodeJS.ErrnoException).code !== 'EISDIR') throw err;
        files = listFiles(path);
      } catch (e) {
        yield { source: path, error: describe(e) };
        continue;
      }
    }
    for (const file of files) {
      let buf: Buffer;
      try {
        buf = first ?? readFileSync(file);
      } catch (err) {
        yield { source: file, error: describe(err) };
        continue;
      }
      const messages = splitMbox(buf);
      for (let i = 0; i < messages.length; i++) yield { source: file, index: i, raw: messages[i] ?? Buffer.alloc(0) };
    }
  }
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'no such file or directory';
  if (e.code === 'EACCES') return 'permission denied';
  if (e.code === 'EISDIR') return 'is a directory';
  return e.message ?? String(err);
}
