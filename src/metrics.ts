// Prometheus metrics (prom-client), one registry per service: what was received and how it was classified,
// how long intake takes, how deep the write queue and the outbox are, and the HTTP API's own latency.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { IngestResult } from './ingest/ingest-raw.js';
import type { Store } from './store/types.js';

/** Intake latency buckets (seconds): a durable commit takes milliseconds; a slow disk or database, more. */
const INTAKE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class Metrics {
  readonly registry = new Registry();
  readonly #bounces: Counter<'kind' | 'reason'>;
  readonly #messages: Counter<'source' | 'status'>;
  readonly #changes: Counter<'change'>;
  readonly #intake: Histogram<'source'>;
  readonly #http: Histogram<'method' | 'route' | 'status'>;
  readonly #checked: Counter<'result'>;

  constructor(store: Store) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'rebound_' });
    this.#bounces = new Counter({
      name: 'rebound_bounces_total', help: 'Recipients reported by received messages, by message kind and reason', labelNames: ['kind', 'reason'], registers,
    });
    this.#messages = new Counter({
      name: 'rebound_messages_total', help: 'Messages received, by intake source and parse status (duplicate: already stored)', labelNames: ['source', 'status'], registers,
    });
    this.#changes = new Counter({
      name: 'rebound_suppression_changes_total', help: 'Suppression list changes made by the policy', labelNames: ['change'], registers,
    });
    this.#intake = new Histogram({
      name: 'rebound_intake_duration_seconds', help: 'Time from a received message to its durable commit (parse, store, policy)', labelNames: ['source'], buckets: INTAKE_BUCKETS, registers,
    });
    this.#http = new Histogram({
      name: 'rebound_http_request_duration_seconds', help: 'HTTP API requests by route and status', labelNames: ['method', 'route', 'status'], buckets: HTTP_BUCKETS, registers,
    });
    this.#checked = new Counter({
      name: 'rebound_check_addresses_total', help: 'Addresses asked about through POST /api/v1/check, by answer', labelNames: ['result'], registers,
    });
    new Gauge({
      name: 'rebound_store_pending', help: 'Writes waiting for the store (SQLite writer queue, or callers waiting for a PostgreSQL connection)', registers,
      collect() {
        this.set(store.pending());
      },
    });
    new Gauge({
      name: 'rebound_outbox_depth', help: 'Outbox notifications not yet delivered: queued (not fanned out), pending (being retried), failed', labelNames: ['state'], registers,
      async collect() {
        const c = await store.outboxCounts();
        this.set({ state: 'queued' }, c.queued);
        this.set({ state: 'pending' }, c.pending);
        this.set({ state: 'failed' }, c.failed);
      },
    });
    new Gauge({
      name: 'rebound_store_rows', help: 'Rows in the store: messages, unparsed messages, events, suppressions', labelNames: ['table'], registers,
      async collect() {
        const c = await store.counts();
        for (const [table, n] of Object.entries(c)) this.set({ table }, n);
      },
    });
  }

  /** One message's intake: what it reported and how long it took to commit. */
  observeIngest(r: IngestResult, seconds: number, source: string): void {
    this.#intake.observe({ source }, seconds);
    this.#messages.inc({ source, status: r.duplicate ? 'duplicate' : r.parseStatus });
    if (r.duplicate) return;
    for (const e of r.events) this.#bounces.inc({ kind: r.kind, reason: e.reason });
    for (const c of r.changes) this.#changes.inc({ change: c.change });
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.#http.observe({ method, route, status: String(status) }, seconds);
  }

  observeCheck(suppressed: number, clear: number, invalid: number): void {
    if (suppressed) this.#checked.inc({ result: 'suppressed' }, suppressed);
    if (clear) this.#checked.inc({ result: 'clear' }, clear);
    if (invalid) this.#checked.inc({ result: 'invalid' }, invalid);
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
