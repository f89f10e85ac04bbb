// Matches the phrase rules of every reason against one text in a single pass, then answers
// "does the text read like reason X?" for any reason, in any order, at no extra scanning cost.
import { PhraseIndex } from './phrase-index.js';
import { REASONS, type Reason } from './reasons.js';
import { RULES } from './rules.js';
import { inOrder } from './text.js';

export interface ReasonHits {
  /** True when the text contains a wording of this reason. */
  has(reason: Reason): boolean;
}

/** A group of phrases that must all appear, in order, for `reason`. */
interface Group {
  readonly reason: number;
  readonly pieces: readonly string[];
  /** Number of distinct phrase ids among the pieces. */
  readonly need: number;
}

// --- compiled tables: phrase id -> the reasons and groups it takes part in ----------------------

const phraseIds = new Map<string, number>();
const anyOf: number[][] = [];
const unlessOf: number[][] = [];
const groupsOf: number[][] = [];
const groups: Group[] = [];

function idOf(phrase: string): number {
  if (phrase !== phrase.toLowerCase()) throw new Error(`rule phrase must be lower case: ${phrase}`);
  let id = phraseIds.get(phrase);
  if (id === undefined) {
    id = phraseIds.size;
    phraseIds.set(phrase, id);
    anyOf.push([]);
    unlessOf.push([]);
    groupsOf.push([]);
  }
  return id;
}

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

/** Built on first use (once per process): loading the module stays cheap for callers that never
 *  classify, e.g. `rebound --help`. */
let index: PhraseIndex | undefined;
const REASON_INDEX: ReadonlyMap<Reason, number> = new Map(REASONS.map((reason, i) => [reason, i]));

const MATCHED = 1;
const VETOED = 2;

/** Per reason: MATCHED when a phrase (or an ordered group) of it occurs, VETOED when an "unless" does. */
function evaluate(text: string): Uint8Array {
  const flags = new Uint8Array(REASONS.length);
  index ??= new PhraseIndex([...phraseIds.keys()]);
  const found = index.scan(text);
  let seen: Map<number, number> | undefined;
  for (const id of found) {
    for (const r of anyOf[id]!) flags[r]! |= MATCHED;
    for (const r of unlessOf[id]!) flags[r]! |= VETOED;
    for (const g of groupsOf[id]!) {
      seen ??= new Map();
      seen.set(g, (seen.get(g) ?? 0) + 1);
    }
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
  return flags;
}

class TextHits implements ReasonHits {
  constructor(private readonly flags: Uint8Array) {}

  has(reason: Reason): boolean {
    return this.flags[REASON_INDEX.get(reason)!] === MATCHED;
  }
}

const NO_HITS: ReasonHits = { has: () => false };

/** Scans the (lower-case, bounded) text once. */
export function reasonHits(text: string): ReasonHits {
  return text === '' ? NO_HITS : new TextHits(evaluate(text));
}
