// Buffered writing to stdout: many small lines become few large writes; flush() waits for the pipe.

export class Output {
  #chunks: string[] = [];
  #size = 0;
  readonly #stream: NodeJS.WritableStream;

  constructor(stream: NodeJS.WritableStream = process.stdout) {
    this.#stream = stream;
  }

  line(s: string): void {
    this.#chunks.push(s, '\n');
    this.#size += s.length + 1;
    if (this.#size >= 1 << 20) void this.#write();
  }

  #write(): Promise<void> {
    if (this.#chunks.length === 0) return Promise.resolve();
    const data = this.#chunks.join('');
    this.#chunks = [];
    this.#size = 0;
    return new Promise((resolve) => {
      if (this.#stream.write(data)) resolve();
      else this.#stream.once('drain', () => resolve());
    });
  }

  async flush(): Promise<void> {
    await this.#write();
  }
}
