// The users-table hook's statements take their values as bound parameters only: $1 (address) and $2
// (reason), written the PostgreSQL way. This scanner finds them outside string literals, quoted
// identifiers, comments and dollar quotes, and rewrites them for SQLite (named @p1, @p2).

export interface ScannedStatement {
  /** The parameter numbers used ($1 → 1). */
  params: ReadonlySet<number>;
  /** The statement with $n written as @pn, for SQLite. */
  sqlite: string;
}

export function scanParams(sql: string): ScannedStatement {
  const params = new Set<number>();
  let out = '';
  let i = 0;
  const copyUntil = (end: string, from: number): number => {
    const j = sql.indexOf(end, from);
    return j < 0 ? sql.length : j + end.length;
  };
  while (i < sql.length) {
    const c = sql[i] as string;
    let next = i + 1;
    if (c === "'" || c === '"') {
      // quoted: a doubled quote is an escaped one, so scanning to the next quote and going on works
      next = copyUntil(c, i + 1);
    } else if (c === '-' && sql[i + 1] === '-') {
      next = copyUntil('\n', i + 2);
    } else if (c === '/' && sql[i + 1] === '*') {
      next = copyUntil('*/', i + 2);
    } else if (c === '$') {
      const num = /^\$(\d+)/.exec(sql.slice(i));
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (num?.[1]) {
        params.add(Number(num[1]));
        out += `@p${num[1]}`;
        i += num[0].length;
        continue;
      }
      if (tag) next = copyUntil(tag[0], i + tag[0].length);
    }
    out += sql.slice(i, next);
    i = next;
  }
  return { params, sqlite: out };
}

/** Why a hook statement is unusable, or undefined when it is fine. */
export function hookStatementProblem(sql: string, what: string): string | undefined {
  if (sql.trim() === '') return undefined;
  const { params } = scanParams(sql);
  if (!params.has(1)) return `${what} must use $1 (the address) as a bound parameter`;
  const other = [...params].filter((n) => n !== 1 && n !== 2);
  if (other.length > 0) return `${what} may use only $1 (address) and $2 (reason), not $${other[0]}`;
  return undefined;
}
