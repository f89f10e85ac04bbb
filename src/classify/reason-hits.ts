// Matches the phrase rules of every reason, and the wordings that name an SMTP command, against one
// text in a single pass; then answers "does the text read like reason X?" for any reason, in any
// order, and "which command does it name?", at no extra scanning cost. The pass runs on the first
// question asked, so a recipient decided without reading its text never pays for it.
import type { SmtpCommand } from '../parse/types.js';
import { REPORTED_COMMANDS } from './command.js';
import { PhraseIndex } from './phrase-index.js';
import { REASONS, type Reason } from './reasons.js';
import { RULES } from './rules.js';
import { inOrder } from './text.js';

export interface ReasonHits {
  /** True when the text contains a wording of this reason. */
  has(reason: Reason): boolean;
  /** The SMTP command the text says was refused (see command.ts), or "". */
  command(): SmtpCommand | '';
}

/** A group of phrases that must all appear, in order, for `reason`. */
interface Group {
  readonly reason: number;
  readonly pieces: readonly string[];
  /** Number of distinct phrase ids among the pieces. */
  readonly need: number;
}

// --- compiled tables: phrase id -> the reasons, groups and command it takes part in -------------

interface Tables {
  readonly index: PhraseIndex;
  readonly anyOf: readonly (readonly number[])[];
  readonly unlessOf: readonly (readonly number[])[];
  readonly groupsOf: readonly (readonly number[])[];
  readonly groups: readonly Group[];
  /** Per phrase id: the index in REPORTED_COMMANDS of the command it names, or -1. */
  readonly commandOf: readonly number[];
}

/** Compiled on first use (once per process): loading the module stays cheap for callers that never
 *  classify, e.g. `rebound --help`. */
let tables: Tables | undefined;

function compile(): Tables {
  const phraseIds = new Map<string, number>();
  const anyOf: number[][] = [];
  const unlessOf: number[][] = [];
  const groupsOf: number[][] = [];
  const groups: Group[] = [];
  const commandOf: number[] = [];
  const idOf = (phrase: string): number => {
    if (phrase !== phrase.toLowerCase()) throw new Error(`rule phrase must be lower case: ${phrase}`);
    let id = phraseIds.get(phrase);
    if (id === undefined) {
      id = phraseIds.size;
      phraseIds.set(phrase, id);
      anyOf.push([]);
      unlessOf.push([]);
      groupsOf.push([]);
      commandOf.push(-1);
    }
    return id;
  };
  REASONS.forEach((reason, r) => {
    const rule = RULES[reason];
    if (rule === undefined) return;
    for (const phrase of rule.any) anyOf[idOf(phrase)]!.push(r);
    for (const phrase of rule.unless ?? []) unlessOf[idOf(phrase)]!.push(r);
    for (const pieces of rule.inOrder ?? []) {
      const ids = new Set(pieces.map(idOf));
      const g = groups.push({ reason: r, pieces, need: ids.size }) - 1;
      for (const id of ids) groupsOf[id]!.push(g);
    }
  });
  REPORTED_COMMANDS.forEach(([, phrases], c) => {
    for (const phrase of phrases) {
      const id = idOf(phrase);
      if (commandOf[id] === -1) commandOf[id] = c;
    }
  });
  return { index: new PhraseIndex([...phraseIds.keys()]), anyOf, unlessOf, groupsOf, groups, commandOf };
}

const REASON_INDEX: ReadonlyMap<Reason, number> = new Map(REASONS.map((reason, i) => [reason, i]));

const MATCHED = 1;
const VETOED = 2;

interface Evaluation {
  /** Per reason: MATCHED when a phrase (or an ordered group) of it occurs, VETOED when an "unless" does. */
  readonly flags: Uint8Array;
  readonly command: SmtpCommand | '';
}

function evaluate(text: string): Evaluation {
  tables ??= compile();
  const { index, anyOf, unlessOf, groupsOf, groups, commandOf } = tables;
  const flags = new Uint8Array(REASONS.length);
  const found = index.scan(text);
  let seen: Map<number, number> | undefined;
  let command = REPORTED_COMMANDS.length;
  for (const id of found) {
    for (const r of anyOf[id]!) flags[r]! |= MATCHED;
    for (const r of unlessOf[id]!) flags[r]! |= VETOED;
    for (const g of groupsOf[id]!) {
      seen ??= new Map();
      seen.set(g, (seen.get(g) ?? 0) + 1);
    }
    const c = commandOf[id]!;
    if (c >= 0 && c < command) command = c;
  }
  if (seen !== undefined) {
    for (const [g, count] of seen) {
      const group = groups[g]!;
      // Every piece occurs somewhere; check they occur in the required order.
      if (count === group.need && (flags[group.reason]! & MATCHED) === 0 && inOrder(text, group.pieces)) {
        flags[group.reason]! |= MATCHED;
      }
    }
  }
  return { flags, command: REPORTED_COMMANDS[command]?.[0] ?? '' };
}

class TextHits implements ReasonHits {
  readonly #text: string;
  #evaluation: Evaluation | undefined;

  constructor(text: string) {
    this.#text = text;
  }

  has(reason: Reason): boolean {
    this.#evaluation ??= evaluate(this.#text);
    return this.#evaluation.flags[REASON_INDEX.get(reason)!] === MATCHED;
  }

  command(): SmtpCommand | '' {
    this.#evaluation ??= evaluate(this.#text);
    return this.#evaluation.command;
  }
}

const NO_HITS: ReasonHits = { has: () => false, command: () => '' };

/** For a lower-case, bounded text. Scans it once, when first asked. */
export function reasonHits(text: string): ReasonHits {
  return text === '' ? NO_HITS : new TextHits(text);
}
