// A multi-phrase matcher (Aho-Corasick automaton) built once, on first use. One pass over the text
// finds every listed phrase it contains, so the cost per recipient is linear in the examined text and
// independent of how many phrases the rules list. No regular expressions involved.
//
// Phrases are distinct lower-case ASCII strings. Text characters outside the phrases' alphabet
// (including every non-ASCII character) act as a separator that no phrase can span.
//
// Layout, chosen for a small memory footprint (building it is part of the first classify() call of
// every process, and a scan runs between unrelated work, with cold caches): states are numbered
// breadth-first, so the shallow ones, where a scan spends nearly all its time, come first and get a
// complete transition row each (one load per character). The deep ones (long phrase tails, most of
// the ~16,000 states) keep only their keyword-tree edges and fall back along failure links. A
// complete table for every state would be ~2 MB; this is ~0.4 MB, all in typed arrays.

/** States up to this depth get a complete transition row. */
const DENSE_DEPTH = 4;

export class PhraseIndex {
  readonly size: number;
  /** Alphabet index per ASCII code; 0 means "not in any phrase". */
  private readonly symbolOf: Uint8Array;
  private readonly width: number;
  /** States 0 .. denseStates-1 have a row in `dense`. */
  private readonly denseStates: number;
  /**
   * Complete transition rows of the shallow states, `width` entries each. An entry is the next
   * state shifted left by one, with the low bit set when phrases end there, so the scan loop needs
   * one load per character. 16-bit entries while the automaton is small enough (it is, by far).
   */
  private readonly dense: Uint16Array | Int32Array;
  /** Keyword-tree edges as linked lists: per state its first child, per child its next sibling and
   *  the symbol leading to it (0 ends a list: the root is nobody's child). */
  private readonly firstChild: Int32Array;
  private readonly nextSibling: Int32Array;
  private readonly edgeSymbol: Uint8Array;
  /** Failure link: the state of the longest proper suffix that is a tree state. */
  private readonly fail: Int32Array;
  /** The phrase id ending exactly at each state, or -1. */
  private readonly own: Int32Array;
  /** Per state: the nearest state along its suffix chain (itself included) where a phrase ends, or 0.
   *  A scan reports own[out[s]], then continues from out[fail[out[s]]]. */
  private readonly out: Int32Array;
  /** Scratch: mark[id] === generation means "already reported in the current scan". */
  private readonly mark: Uint32Array;
  private generation = 0;

  constructor(phrases: readonly string[]) {
    this.size = phrases.length;
    this.symbolOf = new Uint8Array(128);
    const tree = breadthFirst(buildTree(phrases, this.symbolOf));
    this.width = 1 + maxOf(this.symbolOf); // symbol 0 included
    this.firstChild = tree.firstChild;
    this.nextSibling = tree.nextSibling;
    this.edgeSymbol = tree.edgeSymbol;
    this.own = tree.own;
    this.denseStates = tree.denseStates;
    const states = tree.own.length;
    if (states >= 0x40000000) throw new Error('phrase index too large');
    const entries = this.denseStates * this.width;
    this.dense = states < 0x8000 ? new Uint16Array(entries) : new Int32Array(entries);
    this.fail = new Int32Array(states);
    this.out = new Int32Array(states);
    this.link();
    this.mark = new Uint32Array(phrases.length);
  }

  /**
   * Scans the text once and returns the ids of the phrases it contains, each once, in order of
   * first appearance. Reuses internal scratch space: not reentrant, which is fine for synchronous use.
   */
  scan(text: string): number[] {
    const found: number[] = [];
    const mark = this.mark;
    const generation = this.nextGeneration();
    const { symbolOf, own, out, fail } = this;
    const length = text.length;
    let state = 0;
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      const entry = this.step(state, code < 128 ? symbolOf[code]! : 0);
      state = entry >>> 1;
      if ((entry & 1) === 0) continue;
      for (let s = out[state]!; s !== 0; s = out[fail[s]!]!) {
        const id = own[s]!;
        if (mark[id] !== generation) {
          mark[id] = generation;
          found.push(id);
        }
      }
    }
    return found;
  }

  /** The entry (next state and "phrases end here" bit, as in `dense`) for reading `symbol` in `state`. */
  private step(state: number, symbol: number): number {
    for (;;) {
      if (state < this.denseStates) return this.dense[state * this.width + symbol]!;
      for (let child = this.firstChild[state]!; child !== 0; child = this.nextSibling[child]!) {
        if (this.edgeSymbol[child] === symbol) return this.entryOf(child);
      }
      state = this.fail[state]!;
    }
  }

  private entryOf(state: number): number {
    return (state << 1) | (this.out[state] !== 0 ? 1 : 0);
  }

  private nextGeneration(): number {
    if (this.generation === 0xffffffff) {
      this.mark.fill(0);
      this.generation = 0;
    }
    return ++this.generation;
  }

  /**
   * Failure and output links, and the rows of the shallow states, in state order (breadth-first: a
   * state's parent and failure state come before it). A row starts as a copy of the failure state's
   * row (a native block copy), then gets the state's own tree edges.
   */
  private link(): void {
    const { width, denseStates, dense, firstChild, nextSibling, edgeSymbol, fail, own, out } = this;
    for (let state = 0; state < own.length; state++) {
      const row = state * width;
      if (state > 0 && state < denseStates) dense.copyWithin(row, fail[state]! * width, fail[state]! * width + width);
      for (let child = firstChild[state]!; child !== 0; child = nextSibling[child]!) {
        const symbol = edgeSymbol[child]!;
        const childFail = state === 0 ? 0 : this.step(fail[state]!, symbol) >>> 1;
        fail[child] = childFail;
        out[child] = own[child]! >= 0 ? child : out[childFail]!;
        if (state < denseStates) dense[row + symbol] = this.entryOf(child);
      }
    }
  }
}

/** The keyword tree: edges as linked lists (see PhraseIndex), and the phrase ending at each state. */
interface Tree {
  readonly firstChild: Int32Array;
  readonly nextSibling: Int32Array;
  readonly edgeSymbol: Uint8Array;
  readonly own: Int32Array;
}

/** Builds the keyword tree, numbering the alphabet (in `symbolOf`) as it goes. */
function buildTree(phrases: readonly string[], symbolOf: Uint8Array): Tree & { readonly states: number } {
  // At most one state per phrase character, plus the root; breadthFirst() trims the excess.
  const states = phrases.reduce((n, phrase) => n + phrase.length, 1);
  const tree: Tree = {
    firstChild: new Int32Array(states),
    nextSibling: new Int32Array(states),
    edgeSymbol: new Uint8Array(states),
    own: new Int32Array(states).fill(-1),
  };
  const { firstChild, nextSibling, edgeSymbol, own } = tree;
  let next = 1;
  let symbols = 0;
  phrases.forEach((phrase, id) => {
    let state = 0;
    for (let i = 0; i < phrase.length; i++) {
      const code = phrase.charCodeAt(i);
      if (code >= 128) throw new Error(`phrase is not ASCII: ${phrase}`);
      let symbol = symbolOf[code]!;
      if (symbol === 0) symbol = symbolOf[code] = ++symbols;
      let child = firstChild[state]!;
      while (child !== 0 && edgeSymbol[child] !== symbol) child = nextSibling[child]!;
      if (child === 0) {
        child = next++;
        edgeSymbol[child] = symbol;
        nextSibling[child] = firstChild[state]!;
        firstChild[state] = child;
      }
      state = child;
    }
    if (own[state] !== -1) throw new Error(`duplicate phrase: ${phrase}`);
    own[state] = id;
  });
  return { ...tree, states: next };
}

/** The same tree with its states renumbered breadth-first; also counts the states up to DENSE_DEPTH. */
function breadthFirst(tree: Tree & { readonly states: number }): Tree & { readonly denseStates: number } {
  const states = tree.states;
  const order = new Int32Array(states); // new number -> old number
  const renumbered = new Int32Array(states); // old number -> new number
  const depth = new Uint8Array(states);
  let denseStates = 0;
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    const old = order[head]!;
    renumbered[old] = head;
    if (depth[old]! <= DENSE_DEPTH) denseStates++;
    for (let child = tree.firstChild[old]!; child !== 0; child = tree.nextSibling[child]!) {
      depth[child] = Math.min(depth[old]! + 1, 255);
      order[tail++] = child;
    }
  }
  const out: Tree = {
    firstChild: new Int32Array(states),
    nextSibling: new Int32Array(states),
    edgeSymbol: new Uint8Array(states),
    own: new Int32Array(states),
  };
  for (let state = 0; state < states; state++) {
    const old = order[state]!;
    out.firstChild[state] = renumbered[tree.firstChild[old]!]!; // 0 stays 0: the root is renumbered 0
    out.nextSibling[state] = renumbered[tree.nextSibling[old]!]!;
    out.edgeSymbol[state] = tree.edgeSymbol[old]!;
    out.own[state] = tree.own[old]!;
  }
  return { ...out, denseStates };
}

function maxOf(values: Uint8Array): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}
