/**
 * The emulator's HTTP server: AWS's rest-json wire protocol over the published models, with the
 * domain rules in the service modules. The control endpoint lives under `/_emulator/`, a path AWS
 * never uses, so the same port serves SDK clients and test harnesses.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ApiError, type EmulatorConfig, type OpContext, type ServiceModule } from './types.js';
import { buildRoutes, loadModel, matchRoute, MODEL_FILES, type Route } from './model.js';
import { parseInput, serializeOutput } from './codec.js';
import { EmulatedClock } from './clock.js';
import { FaultInjector, type FaultSettings } from './faults.js';
import { emptyState, type EmulatorState } from './state.js';
import { loadSnapshot, writeSnapshotAtomically } from './snapshot.js';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  accountId?: string;
  defaultRegion?: string;
  /** Snapshot file: loaded at start when present, rewritten atomically after every change. */
  stateFile?: string;
  /** Emulated seconds per real second (1 = real time). */
  clockRate?: number;
  faults?: FaultSettings;
  services?: ServiceModule[];
  /** Extra control routes (`POST /_emulator/<name>`) with a JSON body, e.g. seeding a porting order. */
  controlActions?: Record<string, (state: EmulatorState, now: Date, body: any) => unknown>;
}

/** Calls by operation, then by outcome: `ok` or the error type answered. */
export type CallCounters = Record<string, Record<string, number>>;

const MAX_BODY_BYTES = 1024 * 1024;
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export class Emulator {
  readonly clock: EmulatedClock;
  readonly faults: FaultInjector;
  readonly config: EmulatorConfig;
  state: EmulatorState;
  private server: Server | undefined;
  private readonly routes: Route[];
  private readonly handlers = new Map<string, ServiceModule['handlers'][string]>();
  private readonly tickers: Array<NonNullable<ServiceModule['tick']>> = [];
  private counterTable: CallCounters = {};
  private readonly createdAt = new Map<string, number>();
  private saveScheduled = false;
  private baseUrl = '';

  constructor(private readonly options: EmulatorOptions = {}) {
    this.config = { accountId: options.accountId ?? '123456789012', defaultRegion: options.defaultRegion ?? 'us-east-1' };
    if (!/^\d{12}$/.test(this.config.accountId)) throw new RangeError(`account id must be 12 digits, got ${JSON.stringify(this.config.accountId)}`);
    this.clock = new EmulatedClock(options.clockRate ?? 1);
    this.faults = new FaultInjector(options.faults);
    this.routes = buildRoutes(MODEL_FILES.map(loadModel));
    this.state = (options.stateFile && loadSnapshot(options.stateFile)) || emptyState();
    for (const service of options.services ?? []) {
      for (const [op, handler] of Object.entries(service.handlers)) {
        if (this.handlers.has(op)) throw new Error(`operation ${op} has two handlers`);
        this.handlers.set(op, handler);
      }
      if (service.tick) this.tickers.push(service.tick);
    }
  }

  get url(): string {
    return this.baseUrl;
  }

  /** Operations of the models this emulator answers, and the ones it refuses by name. */
  operations(): { implemented: string[]; notImplemented: string[] } {
    const all = [...new Set(this.routes.map((r) => r.operation))].sort();
    return { implemented: all.filter((op) => this.handlers.has(op)), notImplemented: all.filter((op) => !this.handlers.has(op)) };
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        // Never reached in normal operation: handle() answers every error itself.
        if (!res.headersSent) this.sendError(res, new ApiError('ServiceFailureException', `emulator failure: ${(err as Error).message}`));
      });
    });
    server.keepAliveTimeout = 60_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.baseUrl = `http://${host}:${address.port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.flush();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  counters(): CallCounters {
    return structuredClone(this.counterTable);
  }

  resetCounters(): void {
    this.counterTable = {};
  }

  /** Total calls whose operation matches `filter` (all operations by default). */
  totalCalls(filter: (operation: string) => boolean = () => true): number {
    let total = 0;
    for (const [op, outcomes] of Object.entries(this.counterTable)) {
      if (filter(op)) for (const n of Object.values(outcomes)) total += n;
    }
    return total;
  }

  setFaults(settings: FaultSettings): void {
    this.faults.set(settings);
  }

  /** Replaces the whole state (tests seed scenarios this way); persisted like any change. */
  resetState(state: EmulatorState = emptyState()): void {
    this.state = state;
    this.createdAt.clear();
    this.scheduleSave();
  }

  /** Runs the time-driven rules up to the current emulated time. */
  tick(): void {
    const now = this.clock.now();
    for (const tick of this.tickers) tick(this.state, now);
  }

  private count(operation: string, outcome: string) {
    const row = (this.counterTable[operation] ??= {});
    row[outcome] = (row[outcome] ?? 0) + 1;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (url.pathname.startsWith('/_emulator/')) return this.handleControl(req, res, url);

    const auth = checkSigV4(req);
    if ('error' in auth) {
      this.count('(unauthenticated)', auth.error);
      return this.sendRaw(res, 403, auth.error, { message: auth.message });
    }

    let segments: string[];
    try {
      segments = url.pathname.split('/').filter((s) => s.length > 0).map(decodeURIComponent);
    } catch {
      return this.sendError(res, new ApiError('BadRequestException', `malformed percent-encoding in path ${url.pathname}`));
    }
    const match = matchRoute(this.routes, req.method ?? 'GET', segments, url.searchParams);
    if (!match) {
      this.count('(unknown)', 'UnknownOperationException');
      return this.sendRaw(res, 404, 'UnknownOperationException', { message: `No operation matches ${req.method} ${url.pathname}${url.search}` });
    }
    const { route } = match;
    const operation = route.operation;

    let bodyText: string;
    try {
      bodyText = await readBody(req);
    } catch (err) {
      return this.finish(res, operation, new ApiError('BadRequestException', (err as Error).message));
    }

    const latency = this.faults.latencyFor(operation);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    if (!this.faults.admit(operation)) {
      return this.finish(res, operation, new ApiError('ThrottledClientException', `Rate exceeded for ${operation} (emulator rate limit)`));
    }
    const injected = this.faults.injectedFailure(operation);
    if (injected) return this.finish(res, operation, new ApiError(injected.error, injected.message));

    try {
      let body: unknown;
      if (bodyText.length > 0) {
        try {
          body = JSON.parse(bodyText);
        } catch {
          throw new ApiError('BadRequestException', 'The request body is not valid JSON.');
        }
      }
      const input = parseInput(route, { labels: match.labels, query: url.searchParams, headers: req.headers, body });
      const handler = this.handlers.get(operation);
      if (!handler) {
        throw new ApiError(
          'BadRequestException',
          `${operation} is not supported by the chime-voice-operator emulator (runtime call operations are not modelled; see docs/emulator.md)`,
        );
      }
      this.tick();
      const output = await handler(input, this.context(operation, auth.region));
      const { headers, body: outBody } = serializeOutput(route, output);
      this.count(operation, 'ok');
      if (req.method !== 'GET') this.scheduleSave();
      const status = route.responseCode;
      const payload = status === 204 || outBody === undefined ? '' : JSON.stringify(outBody);
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...headers, 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    } catch (err) {
      if (err instanceof ApiError) return this.finish(res, operation, err);
      // A handler bug: answer as AWS does for internal errors, and keep serving.
      console.error(`emulator: ${operation} failed unexpectedly:`, err);
      return this.finish(res, operation, new ApiError('ServiceFailureException', `Internal failure while serving ${operation}`));
    }
  }

  private finish(res: ServerResponse, operation: string, err: ApiError) {
    this.count(operation, err.errorType);
    this.sendError(res, err);
  }

  private context(operation: string, region: string): OpContext {
    const clock = this.clock;
    const config = this.config;
    const createdAt = this.createdAt;
    const window = this.faults.consistencyWindowMs;
    return {
      state: this.state,
      clock,
      config,
      region,
      operation,
      nowIso: () => clock.now().toISOString(),
      arn: (r, resource) => `arn:aws:chime:${r}:${config.accountId}:${resource}`,
      uuid: () => randomUUID(),
      lowerAlnumId: (length = 22) => {
        const bytes = randomBytes(length);
        let id = '';
        for (const b of bytes) id += LOWER_ALNUM[b % LOWER_ALNUM.length];
        return id;
      },
      markCreated: (key) => {
        if (window > 0) createdAt.set(key, clock.now().getTime());
      },
      assertVisible: (key, message) => {
        const at = createdAt.get(key);
        if (at === undefined) return;
        if (clock.now().getTime() - at < window) throw new ApiError('NotFoundException', message);
        createdAt.delete(key);
      },
    };
  }

  private sendError(res: ServerResponse, err: ApiError) {
    this.sendRaw(res, err.status, err.errorType, { Code: err.code, Message: err.message });
  }

  private sendRaw(res: ServerResponse, status: number, errorType: string, body: Record<string, unknown>) {
    const payload = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'x-amzn-errortype': errorType,
      'x-amzn-requestid': randomUUID(),
      'content-length': Buffer.byteLength(payload),
    });
    res.end(payload);
  }

  private scheduleSave() {
    if (!this.options.stateFile || this.saveScheduled) return;
    this.saveScheduled = true;
    // Coalesces the writes of a burst of calls into one atomic write.
    setTimeout(() => this.flush(), 20).unref();
  }

  /** Writes the snapshot now, if a state file is configured. */
  flush(): void {
    this.saveScheduled = false;
    if (this.options.stateFile) writeSnapshotAtomically(this.options.stateFile, this.state, this.clock.now());
  }

  private async handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const send = (status: number, body: unknown) => {
      const payload = JSON.stringify(body, null, 2);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    };
    const name = url.pathname.slice('/_emulator/'.length);
    try {
      const text = await readBody(req);
      const body = text ? JSON.parse(text) : {};
      const method = req.method ?? 'GET';
      if (name === 'health' && method === 'GET') return send(200, { ok: true });
      if (name === 'counters' && method === 'GET') return send(200, this.counters());
      if (name === 'counters' && method === 'DELETE') {
        this.resetCounters();
        return send(200, {});
      }
      if (name === 'faults' && method === 'GET') return send(200, this.faults.get());
      if (name === 'faults' && method === 'PUT') {
        this.setFaults(body);
        return send(200, this.faults.get());
      }
      if (name === 'clock' && method === 'GET') return send(200, { now: this.clock.now().toISOString(), rate: this.clock.getRate() });
      if (name === 'clock' && method === 'POST') {
        if (body.rate !== undefined) this.clock.setRate(Number(body.rate));
        if (body.advanceMs !== undefined) this.clock.advance(Number(body.advanceMs));
        this.tick();
        return send(200, { now: this.clock.now().toISOString(), rate: this.clock.getRate() });
      }
      if (name === 'state' && method === 'GET') {
        this.tick();
        return send(200, this.state);
      }
      if (name === 'reset' && method === 'POST') {
        this.resetState();
        this.resetCounters();
        return send(200, {});
      }
      if (name === 'operations' && method === 'GET') return send(200, this.operations());
      const action = this.options.controlActions?.[name];
      if (action && method === 'POST') {
        this.tick();
        const result = action(this.state, this.clock.now(), body);
        this.scheduleSave();
        return send(200, result ?? {});
      }
      return send(404, { message: `no control action ${method} /_emulator/${name}` });
    } catch (err) {
      return send(400, { message: (err as Error).message });
    }
  }
}

/**
 * Requests must carry a SigV4 Authorization header, as AWS requires; any credentials are accepted
 * (the emulator has no secrets to check signatures against), but the header's form is checked.
 */
function checkSigV4(req: IncomingMessage): { region: string } | { error: string; message: string } {
  const header = req.headers.authorization;
  if (!header) return { error: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  const m = /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(
    header,
  );
  if (!m) {
    return {
      error: 'IncompleteSignatureException',
      message: `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters of an AWS4-HMAC-SHA256 signature. Authorization=${header.split(' ')[0]}`,
    };
  }
  if (!req.headers['x-amz-date']) {
    return { error: 'IncompleteSignatureException', message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header." };
  }
  return { region: m[3] };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`request body exceeds ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
