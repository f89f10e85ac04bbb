// A multi-phrase matcher (Aho-Corasick automaton, as a full transition table) built once at module
// load. One pass over the text finds every listed phrase it contains, so the cost per recipient is
// linear in the examined text and independent of how many phrases the rules list. No regular
// expressions involved.
//
// Phrases are lower-case ASCII. Text characters outside the phrases' alphabet (including every
// non-ASCII character) act as a separator that no phrase can span.

export class PhraseIndex {
  readonly size: number;
  /** Alphabet index per ASCII code; 0 means "not in any phrase". */
  private readonly symbolOf: Uint8Array;
  private readonly width: number;
  /**
   * Transition table, one row of `width` entries per state. An entry is the next state shifted
   * left by one, with the low bit set when phrases end in that state, so the scan loop needs one
   * load per character. 16-bit entries while the automaton is small enough (it is, by far).
   */
  private readonly delta: Uint16Array | Int32Array;
  /** Phrase ids ending at each state (own and inherited via failure links), flattened:
   *  the ids of state s are outIds[outStart[s] .. outStart[s + 1]). */
  private readonly outStart: Int32Array;
  private readonly outIds: Int32Array;
  /** Scratch: mark[id] === generation means "already reported in the current scan". */
  private readonly mark: Uint32Array;
  private generation = 0;

  constructor(phrases: readonly string[]) {
    this.size = phrases.length;
    this.symbolOf = buildAlphabet(phrases);
    this.width = 1 + maxOf(this.symbolOf);
    const trie = buildTrie(phrases, this.symbolOf);
    const automaton = buildAutomaton(trie, this.width);
    this.delta = automaton.delta;
    this.outStart = automaton.outStart;
    this.outIds = automaton.outIds;
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
    const { symbolOf, width, delta, outStart, outIds } = this;
    const length = text.length;
    let row = 0;
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      const entry = delta[row + (code < 128 ? symbolOf[code]! : 0)]!;
      const state = entry >>> 1;
      row = state * width;
      if ((entry & 1) === 0) continue;
      const end = outStart[state + 1]!;
      for (let k = outStart[state]!; k < end; k++) {
        const id = outIds[k]!;
        if (mark[id] !== generation) {
          mark[id] = generation;
          found.push(id);
        }
      }
    }
    return found;
  }

  private nextGeneration(): number {
    if (this.generation === 0xffffffff) {
      this.mark.fill(0);
      this.generation = 0;
    }
    return ++this.generation;
  }
}

function buildAlphabet(phrases: readonly string[]): Uint8Array {
  const symbolOf = new Uint8Array(128);
  let next = 1;
  for (const phrase of phrases) {
    for (let i = 0; i < phrase.length; i++) {
      const code = phrase.charCodeAt(i);
      if (code >= 128) throw new Error(`phrase is not ASCII: ${phrase}`);
      if (symbolOf[code] === 0) symbolOf[code] = next++;
    }
  }
  return symbolOf;
}

function maxOf(values: Uint8Array): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** The plain keyword tree: per state its (symbol, child) edges and the phrases ending there. */
interface Trie {
  readonly edges: number[][];
  readonly own: number[][];
}

function buildTrie(phrases: readonly string[], symbolOf: Uint8Array): Trie {
  const edges: number[][] = [[]];
  const own: number[][] = [[]];
  const child = new Map<number, number>(); // state * 128 + symbol -> state
  phrases.forEach((phrase, id) => {
    let state = 0;
    for (let i = 0; i < phrase.length; i++) {
      const symbol = symbolOf[phrase.charCodeAt(i)]!;
      const key = state * 128 + symbol;
      let next = child.get(key);
      if (next === undefined) {
        next = edges.length;
        edges.push([]);
        own.push([]);
        child.set(key, next);
        edges[state]!.push(symbol, next);
      }
      state = next;
    }
    own[state]!.push(id);
  });
  return { edges, own };
}

/**
 * Breadth-first construction of the full transition table: each state's row starts as a copy of
 * its failure state's row (complete, being shallower) and then gets its own edges.
 */
function buildAutomaton(
  trie: Trie, width: number,
): { delta: Uint16Array | Int32Array; outStart: Int32Array; outIds: Int32Array } {
  const states = trie.edges.length;
  if (states >= 0x40000000) throw new Error('phrase index too large');
  const delta = states < 0x8000 ? new Uint16Array(states * width) : new Int32Array(states * width);
  const outputs: number[][] = new Array<number[]>(states);
  outputs[0] = [];
  const encode = (state: number): number => (state << 1) | (outputs[state]!.length > 0 ? 1 : 0);
  const stateOf = (entry: number): number => entry >>> 1;

  const queue: number[] = [];
  const rootEdges = trie.edges[0]!;
  for (let e = 0; e < rootEdges.length; e += 2) {
    const next = rootEdges[e + 1]!;
    outputs[next] = trie.own[next]!;
    delta[rootEdges[e]!] = encode(next);
    queue.push(next, 0);
  }
  for (let head = 0; head < queue.length; head += 2) {
    const state = queue[head]!;
    const fail = queue[head + 1]!;
    delta.copyWithin(state * width, fail * width, fail * width + width);
    const stateEdges = trie.edges[state]!;
    for (let e = 0; e < stateEdges.length; e += 2) {
      const symbol = stateEdges[e]!;
      const next = stateEdges[e + 1]!;
      const nextFail = stateOf(delta[fail * width + symbol]!);
      const inherited = outputs[nextFail]!;
      const own = trie.own[next]!;
      outputs[next] = inherited.length === 0 ? own : own.concat(inherited);
      delta[state * width + symbol] = encode(next);
      queue.push(next, nextFail);
    }
  }
  return { delta, ...flattenOutputs(outputs) };
}

function flattenOutputs(outputs: readonly (readonly number[])[]): { outStart: Int32Array; outIds: Int32Array } {
  const outStart = new Int32Array(outputs.length + 1);
  let total = 0;
  outputs.forEach((out, state) => {
    outStart[state] = total;
    total += out.length;
  });
  outStart[outputs.length] = total;
  const outIds = new Int32Array(total);
  let k = 0;
  for (const out of outputs) for (const id of out) outIds[k++] = id;
  return { outStart, outIds };
}
