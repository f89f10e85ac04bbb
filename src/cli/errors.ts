// Errors the CLI turns into exit statuses and messages.

/** Bad command line: printed with the usage text, exit status 2. */
export class UsageError extends Error {
  readonly usage: string;
  constructor(message: string, usage: string) {
    super(message);
    this.name = 'UsageError';
    this.usage = usage;
  }
}
