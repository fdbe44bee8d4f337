/**
 * The emulator's HTTP server: AWS's rest-json wire protocol over the published models, with the
 * domain rules in the service modules. The control endpoint lives under `/_emulator/`, a path AWS
 * never uses, so the same port serves SDK clients and test harnesses.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import ipaddr from 'ipaddr.js';
import { ApiError, type EmulatorConfig, type OpContext, type ServiceModule } from './types.js';
import { allowedMethods, buildRoutes, CONTROL_PREFIX, loadModel, matchRoute, MODEL_FILES, parseRequestTarget, quoteShort, type Route } from './model.js';
import { parseInput, parseJsonBody, serializeOutput } from './codec.js';
import { EmulatedClock } from './clock.js';
import { FaultInjector, type FaultSettings } from './faults.js';
import { emptyState, type EmulatorState } from './state.js';
import { loadSnapshot, writeSnapshotAtomically } from './snapshot.js';
import { accountOfAccessKey, handleSts, type StsRoles } from './sts.js';
import { CloudTrailSender, type CallerIdentity, type CloudTrailOptions } from './cloudtrail.js';

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
  /** Largest request body accepted, in bytes (default MAX_BODY_BYTES); a larger one answers 413. */
  maxBodyBytes?: number;
  /** A request body that stops arriving for this long answers 408 (default 20 s). */
  bodyTimeoutMs?: number;
  /** Strict regions (EmulatorConfig.strictRegions): the request's SigV4 region decides what it sees. */
  strictRegions?: boolean;
  /**
   * Roles whose AssumeRole requires an external id (role ARN → the id), as their trust policy
   * would; other roles in any account are assumable by any caller. Also `PUT /_emulator/roles`.
   */
  roles?: StsRoles;
  /** CloudTrail: an event for every write answered ok, sent to this SQS queue (docs/emulator.md, docs/events.md). */
  cloudTrail?: CloudTrailOptions;
  /** Who each access key is in the events' `userIdentity` (a role session); other keys are IAM users named after the key. */
  callers?: Record<string, CallerIdentity>;
}

/** Calls by operation, then by outcome: `ok` or the error type answered. */
export type CallCounters = Record<string, Record<string, number>>;

/**
 * 10 MiB, the payload limit of AWS's API Gateway-fronted services: a request AWS would take is never
 * refused here, and the largest Chime SDK Voice request the model allows (a batch of phone number
 * updates, a SIP rule's 25 targets) is a few hundred kilobytes at most.
 */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** After refusing a body unread, how long the rest may keep arriving (and is discarded) before the connection is cut. */
const LINGER_MS = 5_000;
/** Node's default header limit, stated so that the documentation and the 431 answer name it. */
const MAX_HEADER_BYTES = 16 * 1024;

/**
 * A call as an in-process hook sees it: `received` once the operation is known, before latency
 * and faults; `answered` after it was served (its effect is in the state), before the answer is
 * sent. Tests await-able: a hook that returns a promise holds the call until it settles (a test
 * kills a client process at a call boundary this way).
 */
export interface CallEvent {
  operation: string;
  /** The region of the request's SigV4 credential scope (the endpoint it was sent to); absent for a request refused before its body was read. */
  region?: string;
  phase: 'received' | 'answered';
  /** The outcome once answered: `ok` or the error type. */
  outcome?: string;
}
export type CallHook = (event: CallEvent) => void | Promise<void>;

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A refusal at the HTTP layer, before any operation runs (413, 415, 405, 408, 404 for a path no
 * operation has...): not one of the model's error shapes, but answered the same AWS way, with
 * `x-amzn-ErrorType` and a JSON body with `Code` and `Message` (rule API1).
 */
class HttpError extends Error {
  readonly code: string;
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.code = errorType.replace(/Exception$/, '');
  }
}

/** The request went away before its body arrived: there is no one to answer. */
class RequestAborted extends Error {}

type Refusal = ApiError | HttpError;

export class Emulator {
  readonly clock: EmulatedClock;
  readonly faults: FaultInjector;
  readonly config: EmulatorConfig;
  /** The state of the default account (`accountId`); other accounts' states are in `accountStates`. */
  state: EmulatorState;
  /** Accounts other than the default one, by account id, created on first use (see stateOf). */
  private readonly accountStates = new Map<string, EmulatorState>();
  private roles: StsRoles;
  private server: Server | undefined;
  private readonly routes: Route[];
  private readonly handlers = new Map<string, ServiceModule['handlers'][string]>();
  private readonly tickers: Array<NonNullable<ServiceModule['tick']>> = [];
  private counterTable: CallCounters = {};
  private readonly createdAt = new Map<string, number>();
  /** Listing lag: when each resource was created, and copies of deleted ones with the time they went. */
  private readonly listedFrom = new Map<string, number>();
  private readonly tombstones = new Map<string, { at: number; record: unknown }>();
  private callHook: CallHook | undefined;
  private saveScheduled: NodeJS.Timeout | undefined;
  private baseUrl = '';
  /** Listening on a loopback address only: the control endpoint then also checks the Host header. */
  private loopbackOnly = true;
  /** Where the events of writes go (EmulatorOptions.cloudTrail); undefined: no events. */
  readonly cloudTrail: CloudTrailSender | undefined;

  constructor(private readonly options: EmulatorOptions = {}) {
    this.config = { accountId: options.accountId ?? '123456789012', defaultRegion: options.defaultRegion ?? 'us-east-1', strictRegions: options.strictRegions ?? false };
    if (!/^\d{12}$/.test(this.config.accountId)) throw new RangeError(`account id must be 12 digits, got ${JSON.stringify(this.config.accountId)}`);
    this.clock = new EmulatedClock(options.clockRate ?? 1);
    this.faults = new FaultInjector(options.faults);
    this.routes = buildRoutes(MODEL_FILES.map(loadModel));
    this.roles = { ...(options.roles ?? {}) };
    const loaded = (options.stateFile && loadSnapshot(options.stateFile)) || emptyState();
    const { accounts, ...own } = loaded;
    this.state = own;
    for (const [id, other] of Object.entries(accounts ?? {})) this.accountStates.set(id, { ...other, poolTaken: this.state.poolTaken });
    if (options.cloudTrail) {
      this.cloudTrail = new CloudTrailSender(options.cloudTrail);
      this.cloudTrail.callers = { ...options.callers };
    }
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
    const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
      this.handle(req, res).catch((err) => {
        // Never reached in normal operation: handle() answers every error itself.
        console.error('emulator: request failed unexpectedly:', err);
        if (!res.headersSent) this.sendError(res, new ApiError('ServiceFailureException', 'Internal failure of the emulator'));
        else res.destroy();
      });
    });
    server.keepAliveTimeout = 60_000;
    // Requests Node refuses before a handler sees them (malformed request line or headers, unknown
    // method, headers over the limit, a body cut short by the client, a request that never ends)
    // get an AWS-shaped answer too instead of Node's bare `400 Bad Request`.
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => this.answerClientError(err, socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address() as AddressInfo;
    this.loopbackOnly = isLoopbackAddress(address.address);
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.baseUrl = `http://${host}:${address.port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.flush();
    if (this.cloudTrail) {
      // Events of the last writes get a moment to reach the queue; a queue that is gone does not hold the stop.
      await Promise.race([this.cloudTrail.flush(), new Promise((r) => setTimeout(r, 2_000).unref())]);
      this.cloudTrail.stop();
    }
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

  /** Registers (or with undefined removes) the in-process hook every API call goes through. */
  setCallHook(hook: CallHook | undefined): void {
    this.callHook = hook;
  }

  /**
   * The state of an account: the default account's (`state`) or another's, empty until first used.
   * The pool of available numbers is one for every account, as AWS's is: a number one account
   * holds is not offered to another.
   */
  stateOf(accountId: string): EmulatorState {
    if (accountId === this.config.accountId) return this.state;
    let other = this.accountStates.get(accountId);
    if (!other) this.accountStates.set(accountId, (other = { ...emptyState(), poolTaken: this.state.poolTaken }));
    return other;
  }

  /** The ids of every account that has been used, the default one first. */
  accountIds(): string[] {
    return [this.config.accountId, ...[...this.accountStates.keys()].sort()];
  }

  /** Replaces the whole state (tests seed scenarios this way), every other account emptied; persisted like any change. */
  resetState(state: EmulatorState = emptyState()): void {
    this.state = state;
    this.accountStates.clear();
    this.createdAt.clear();
    this.listedFrom.clear();
    this.tombstones.clear();
    this.scheduleSave();
  }

  /** Runs the time-driven rules up to the current emulated time. */
  tick(): void {
    const now = this.clock.now();
    for (const tick of this.tickers) {
      tick(this.state, now);
      for (const other of this.accountStates.values()) tick(other, now);
    }
  }

  private count(operation: string, outcome: string) {
    const row = (this.counterTable[operation] ??= {});
    row[outcome] = (row[outcome] ?? 0) + 1;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let target: ReturnType<typeof parseRequestTarget>;
    try {
      target = parseRequestTarget(req.url ?? '/');
    } catch (err) {
      return this.refuseUnread(req, res, '(unknown)', err as ApiError);
    }
    if (target.kind === 'control') return this.handleControl(req, res, target.name);

    const auth = checkSigV4(req);
    if ('error' in auth) return this.refuseUnread(req, res, '(unauthenticated)', new HttpError(403, auth.error, auth.message));

    const method = req.method ?? 'GET';
    // STS (the query protocol, form-encoded POST to /) shares the port: SDK clients sign for the
    // service `sts`, which is how its requests are told from the Chime APIs' rest-json ones.
    if (auth.service === 'sts') return this.handleSts(req, res, auth.accessKeyId);
    const match = matchRoute(this.routes, method, target.segments, target.query);
    if (!match) {
      const allowed = allowedMethods(this.routes, target.segments, target.query);
      const where = `${target.path}${target.query.size > 0 ? '?' + target.query.toString() : ''}`;
      const refusal =
        allowed.length > 0
          ? new HttpError(405, 'MethodNotAllowedException', `${method} is not allowed on ${quoteShort(where)}; the model's operations there take ${allowed.join(', ')}.`, { allow: allowed.join(', ') })
          : new HttpError(404, 'UnknownOperationException', `No operation matches ${method} ${quoteShort(where)}.`);
      return this.refuseUnread(req, res, '(unknown)', refusal);
    }
    const { route } = match;
    const operation = route.operation;

    const unreadable = bodyRefusal(req, this.maxBodyBytes, true);
    if (unreadable) return this.refuseUnread(req, res, operation, unreadable);
    let bodyText: string;
    try {
      bodyText = await this.readBody(req);
    } catch (err) {
      if (err instanceof RequestAborted) return this.count(operation, 'RequestAborted');
      return this.refuseUnread(req, res, operation, err as Refusal);
    }

    await this.callHook?.({ operation, region: auth.region, phase: 'received' });
    await this.waitEmulated(this.faults.latencyFor(operation));
    if (!this.faults.admit(operation)) {
      return this.finish(res, operation, new ApiError('ThrottledClientException', `Rate exceeded for ${operation} (emulator rate limit)`), auth.region);
    }
    const injected = this.faults.injectedFailure(operation);
    if (injected) return this.finish(res, operation, new ApiError(injected.error, injected.message), auth.region);

    try {
      const body = bodyText.length > 0 ? parseJsonBody(bodyText) : undefined;
      const input = parseInput(route, { labels: match.labels, query: target.query, headers: req.headers, body });
      const handler = this.handlers.get(operation);
      if (!handler) {
        throw new ApiError(
          'BadRequestException',
          `${operation} is not supported by the chime-voice-operator emulator (runtime call operations are not modelled; see docs/emulator.md)`,
        );
      }
      this.tick();
      const output = await handler(input, this.context(operation, auth.region, accountOfAccessKey(auth.accessKeyId, this.config.accountId)));
      const { headers, body: outBody } = serializeOutput(route, output);
      this.count(operation, 'ok');
      if (req.method !== 'GET') {
        this.scheduleSave();
        this.recordWrite(route.service, operation, auth, req, input, output);
      }
      await this.callHook?.({ operation, region: auth.region, phase: 'answered', outcome: 'ok' });
      const status = route.responseCode;
      const payload = status === 204 || outBody === undefined ? '' : JSON.stringify(outBody);
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...headers, 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    } catch (err) {
      if (err instanceof ApiError) return this.finish(res, operation, err, auth.region);
      // A handler bug: answer as the model says the service does for internal errors (every
      // operation lists ServiceFailureException, 500), without the stack, and keep serving.
      console.error(`emulator: ${operation} failed unexpectedly:`, err);
      return this.finish(res, operation, new ApiError('ServiceFailureException', `Internal failure while serving ${operation}`), auth.region);
    }
  }

  /** The CloudTrail event of a write, when events are configured (the body's secrets hidden, as CloudTrail hides them). */
  private recordWrite(service: string, operation: string, auth: { region: string; accessKeyId: string }, req: IncomingMessage, input: unknown, output: unknown) {
    if (!this.cloudTrail) return;
    const agent = req.headers['user-agent'] ?? req.headers['x-amz-user-agent'];
    this.cloudTrail.record({
      service,
      operation,
      region: auth.region,
      accountId: this.config.accountId,
      time: this.clock.now(),
      accessKeyId: auth.accessKeyId,
      userAgent: Array.isArray(agent) ? agent.join(' ') : (agent ?? ''),
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      input,
      output,
    });
  }

  private get maxBodyBytes(): number {
    return this.options.maxBodyBytes ?? MAX_BODY_BYTES;
  }

  /**
   * Answers a refusal while the request body may still be arriving. The rest is read and discarded
   * so that the client, still writing, reads the answer instead of a connection reset; a body that
   * keeps coming for LINGER_MS after the answer has its connection cut.
   */
  private refuseUnread(req: IncomingMessage, res: ServerResponse, operation: string, err: Refusal) {
    void this.finish(res, operation, err);
    if (req.complete) return;
    req.resume();
    const cut = setTimeout(() => req.socket.destroy(), LINGER_MS);
    cut.unref();
    req.once('end', () => clearTimeout(cut));
    req.once('close', () => clearTimeout(cut));
  }

  /**
   * The body as text: at most maxBodyBytes (413 beyond, for chunked bodies that declared no
   * length), arriving without a pause longer than bodyTimeoutMs (408), and valid UTF-8 (400;
   * replacement characters would otherwise reach the state).
   */
  private readBody(req: IncomingMessage): Promise<string> {
    const limit = this.maxBodyBytes;
    const idleMs = this.options.bodyTimeoutMs ?? 20_000;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(idle);
        req.off('data', onData);
        fn();
      };
      let idle = setTimeout(onIdle, idleMs);
      function onIdle() {
        settle(() => reject(new HttpError(408, 'RequestTimeoutException', `The request body stopped arriving: ${size} bytes received, none for ${idleMs} ms.`, { connection: 'close' })));
      }
      function onData(chunk: Buffer) {
        size += chunk.length;
        if (size > limit) {
          settle(() => reject(tooLarge(limit)));
          return;
        }
        chunks.push(chunk);
        clearTimeout(idle);
        idle = setTimeout(onIdle, idleMs);
      }
      req.on('data', onData);
      req.once('end', () =>
        settle(() => {
          try {
            resolve(UTF8.decode(Buffer.concat(chunks)));
          } catch {
            reject(new ApiError('BadRequestException', 'The request body is not valid UTF-8.'));
          }
        }),
      );
      req.once('error', () => settle(() => reject(new RequestAborted())));
      req.once('close', () => settle(() => reject(new RequestAborted())));
    });
  }

  /** Answers, AWS-shaped, the requests Node's HTTP parser refuses before any handler runs. */
  private answerClientError(err: NodeJS.ErrnoException, socket: Duplex) {
    // Node's own handler checks the response in progress the same way (an internal field): once an
    // answer has started on this connection, raw bytes would corrupt it, so the connection is cut.
    const inProgress = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent) {
      socket.destroy();
      return;
    }
    const refusal =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? new HttpError(431, 'RequestHeaderFieldsTooLargeException', `The request headers exceed ${MAX_HEADER_BYTES} bytes.`)
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? new HttpError(408, 'RequestTimeoutException', 'The request did not arrive in time.')
          : err.code === 'HPE_INVALID_EOF_STATE'
            ? new HttpError(400, 'BadRequestException', 'The request ended before its body was complete (shorter than its Content-Length or its last chunk).')
            : new HttpError(400, 'BadRequestException', `Malformed HTTP request (${err.code ?? 'parse error'}).`);
    this.count('(unknown)', refusal.errorType);
    const payload = JSON.stringify({ Code: refusal.code, Message: refusal.message });
    const head = [
      `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}`,
      'content-type: application/json',
      `x-amzn-errortype: ${refusal.errorType}`,
      `x-amzn-requestid: ${randomUUID()}`,
      `content-length: ${Buffer.byteLength(payload)}`,
      'connection: close',
    ];
    socket.end(`${head.join('\r\n')}\r\n\r\n${payload}`);
  }

  private async finish(res: ServerResponse, operation: string, err: Refusal, region?: string) {
    this.count(operation, err.errorType);
    await this.callHook?.({ operation, ...(region !== undefined ? { region } : {}), phase: 'answered', outcome: err.errorType });
    this.sendError(res, err);
  }

  /** Waits `ms` of emulated time: real time at the clock's rate, and no longer than it takes the clock (advanced by hand too) to get there. */
  private async waitEmulated(ms: number): Promise<void> {
    if (!(ms > 0)) return;
    const until = this.clock.now().getTime() + ms;
    for (let left = ms; left > 0; left = until - this.clock.now().getTime()) {
      const rate = this.clock.getRate();
      await new Promise((r) => setTimeout(r, rate > 0 ? Math.max(1, Math.ceil(left / rate)) : 50));
    }
  }

  /** AssumeRole and GetCallerIdentity; see sts.ts. */
  private async handleSts(req: IncomingMessage, res: ServerResponse, accessKeyId: string): Promise<void> {
    let bodyText: string;
    try {
      bodyText = await this.readBody(req);
    } catch (err) {
      if (err instanceof RequestAborted) return this.count('(sts)', 'RequestAborted');
      return this.refuseUnread(req, res, '(sts)', err as Refusal);
    }
    const answer = handleSts(bodyText, { accessKeyId, defaultAccount: this.config.accountId, roles: this.roles, now: this.clock.now() });
    this.count(answer.operation, answer.status === 200 ? 'ok' : answer.errorCode ?? String(answer.status));
    res.writeHead(answer.status, { 'content-type': 'text/xml', 'x-amzn-requestid': answer.requestId, 'content-length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
  }

  private context(operation: string, region: string, accountId: string): OpContext {
    const clock = this.clock;
    const config = { ...this.config, accountId };
    // The bookkeeping maps serve every account: their keys carry the account, so that a listing
    // of one account never shows another's recently deleted resources.
    const scoped = (key: string) => `${accountId}|${key}`;
    const createdAt = this.createdAt;
    const window = this.faults.consistencyWindowMs;
    const lag = this.faults.listingLagMs;
    const listedFrom = this.listedFrom;
    const tombstones = this.tombstones;
    return {
      state: this.stateOf(accountId),
      clock,
      config,
      region,
      operation,
      sees: (r) => !config.strictRegions || r === region,
      createRegion: (requested, fallback, what) => {
        if (!config.strictRegions) return requested ?? fallback;
        if (requested !== undefined && requested !== region) {
          throw new ApiError('BadRequestException', `${what} in ${requested} must be created through the ${requested} endpoint; this request was signed for ${region}.`);
        }
        return region;
      },
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
        if (window > 0) createdAt.set(scoped(key), clock.now().getTime());
        if (lag > 0) {
          listedFrom.set(scoped(key), clock.now().getTime() + lag);
          tombstones.delete(scoped(key));
        }
      },
      markDeleted: (key, record) => {
        listedFrom.delete(scoped(key));
        if (lag > 0) tombstones.set(scoped(key), { at: clock.now().getTime() + lag, record: structuredClone(record) });
      },
      listed: <T>(collection: string, records: T[], idOf: (record: T) => string): T[] => {
        if (listedFrom.size === 0 && tombstones.size === 0) return records;
        const now = clock.now().getTime();
        const prefix = scoped(`${collection}/`);
        const shown = records.filter((r) => {
          const key = prefix + idOf(r);
          const from = listedFrom.get(key);
          if (from === undefined) return true;
          if (from <= now) listedFrom.delete(key);
          return from <= now;
        });
        const present = new Set(records.map((r) => prefix + idOf(r)));
        for (const [key, stone] of [...tombstones.entries()]) {
          if (!key.startsWith(prefix)) continue;
          if (stone.at <= now) tombstones.delete(key);
          else if (!present.has(key)) shown.push(structuredClone(stone.record) as T);
        }
        return shown;
      },
      assertVisible: (key, message) => {
        const at = createdAt.get(scoped(key));
        if (at === undefined) return;
        if (clock.now().getTime() - at < window) throw new ApiError('NotFoundException', message);
        createdAt.delete(scoped(key));
      },
    };
  }

  /** Every error of the server, of the API and of the control endpoint alike: rule API1's shape. */
  private sendError(res: ServerResponse, err: Refusal) {
    if (res.headersSent || res.destroyed) return;
    const payload = JSON.stringify({ Code: err.code, Message: err.message });
    res.writeHead(err.status, {
      ...(err instanceof HttpError ? err.headers : {}),
      'content-type': 'application/json',
      'x-amzn-errortype': err.errorType,
      'x-amzn-requestid': randomUUID(),
      'content-length': Buffer.byteLength(payload),
    });
    res.end(payload);
  }

  private scheduleSave() {
    if (!this.options.stateFile || this.saveScheduled) return;
    // Coalesces the writes of a burst of calls into one atomic write.
    this.saveScheduled = setTimeout(() => this.flush(), 20).unref();
  }

  /** Writes the snapshot now, if a state file is configured. */
  flush(): void {
    // A flush now (stop) makes the scheduled one moot: it would write again after the emulator stopped.
    clearTimeout(this.saveScheduled);
    this.saveScheduled = undefined;
    if (this.options.stateFile) writeSnapshotAtomically(this.options.stateFile, this.persisted(), this.clock.now());
  }

  /** The default account's state, with the other accounts' under `accounts` when there are any. */
  private persisted(): EmulatorState {
    if (this.accountStates.size === 0) return this.state;
    return { ...this.state, accounts: Object.fromEntries(this.accountStates) };
  }

  /**
   * The control endpoint. Reached only through its exact raw prefix (see parseRequestTarget), and
   * refused to web pages: a request carrying `Origin`, or a `Sec-Fetch-Site` other than `none`
   * (a person typing the URL), comes from a page's script or form, which could otherwise reset or
   * read the state (termination credentials included) of an emulator on the developer's machine;
   * when listening on loopback only, the Host header must name a loopback host too, which stops
   * DNS rebinding (a page whose own name resolves to 127.0.0.1).
   */
  private async handleControl(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    const method = req.method ?? 'GET';
    const operation = `(control)`;
    const denied = this.controlAccessDenied(req);
    if (denied) return this.refuseUnread(req, res, operation, denied);
    if (!/^[a-z][a-z0-9-]*$/.test(name)) {
      return this.refuseUnread(req, res, operation, new HttpError(404, 'NotFoundException', `No control action ${method} ${quoteShort(CONTROL_PREFIX + name)}.`));
    }
    // Any content type: harness scripts post bare bodies, and web pages are kept out by the checks above.
    const unreadable = bodyRefusal(req, this.maxBodyBytes, false);
    if (unreadable) return this.refuseUnread(req, res, operation, unreadable);
    const send = (status: number, body: unknown) => {
      const payload = JSON.stringify(body, null, 2);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    };
    let body: any;
    try {
      const text = await this.readBody(req);
      body = text ? parseJsonBody(text) : {};
    } catch (err) {
      if (err instanceof RequestAborted) return;
      return this.refuseUnread(req, res, operation, err as Refusal);
    }
    try {
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
      if (name === 'accounts' && method === 'GET') {
        this.tick();
        return send(200, Object.fromEntries(this.accountIds().map((id) => [id, this.stateOf(id)])));
      }
      if (name === 'roles' && method === 'GET') return send(200, this.roles);
      if (name === 'roles' && method === 'PUT') {
        this.roles = parseRoles(body);
        return send(200, this.roles);
      }
      if (name === 'events' && method === 'GET') return send(200, this.cloudTrail ? { ...this.cloudTrail.counts, backlog: this.cloudTrail.backlog, queueUrl: this.cloudTrail.options.queueUrl } : { configured: false });
      const action = this.options.controlActions?.[name];
      if (action && method === 'POST') {
        this.tick();
        const result = action(this.state, this.clock.now(), body);
        this.scheduleSave();
        return send(200, result ?? {});
      }
      return this.sendError(res, new HttpError(404, 'NotFoundException', `No control action ${method} ${quoteShort(CONTROL_PREFIX + name)}.`));
    } catch (err) {
      return this.sendError(res, err instanceof ApiError ? err : new ApiError('BadRequestException', (err as Error).message));
    }
  }

  private controlAccessDenied(req: IncomingMessage): HttpError | undefined {
    const fetchSite = req.headers['sec-fetch-site'];
    if (req.headers.origin !== undefined || (fetchSite !== undefined && fetchSite !== 'none')) {
      return new HttpError(403, 'ForbiddenException', 'The control endpoint refuses requests made by web pages (an Origin or Sec-Fetch-Site header is present).');
    }
    if (this.loopbackOnly && !isLoopbackHost(req.headers.host)) {
      return new HttpError(403, 'ForbiddenException', `The control endpoint of an emulator listening on loopback answers only requests addressed to a loopback host, not ${quoteShort(req.headers.host ?? '')}.`);
    }
    return undefined;
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'RequestEntityTooLargeException', `The request body exceeds ${limit} bytes (${(limit / 1024 / 1024).toFixed(0)} MiB), the largest the emulator accepts.`);
}

/**
 * What can be refused from the headers alone, before reading a byte of the body: a declared length
 * over the limit (413), or, for the API, a body that is not JSON (415; rest-json bodies are
 * `application/json`, and a request without a Content-Type is read as JSON).
 */
function bodyRefusal(req: IncomingMessage, limit: number, requireJson: boolean): HttpError | undefined {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return tooLarge(limit);
  const hasBody = declared > 0 || req.headers['transfer-encoding'] !== undefined;
  const type = req.headers['content-type'];
  if (requireJson && hasBody && type !== undefined && !/^application\/(?:[a-z0-9.+-]*\+)?json\s*(?:;|$)/i.test(type) && !/^application\/x-amz-json-1\.[01]\s*(?:;|$)/i.test(type)) {
    return new HttpError(415, 'UnsupportedMediaTypeException', `The request body must be application/json, not ${quoteShort(type)}.`);
  }
  return undefined;
}

function isLoopbackAddress(address: string): boolean {
  try {
    const ip = ipaddr.process(address);
    return ip.range() === 'loopback';
  } catch {
    return false;
  }
}

/** `localhost`, `*.localhost` (loopback by RFC 6761), or a loopback IP, with or without a port. */
function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  const lower = name.toLowerCase();
  if (lower === 'localhost' || lower.endsWith('.localhost')) return true;
  return ipaddr.isValid(name) && isLoopbackAddress(name);
}

/**
 * Requests must carry a SigV4 Authorization header, as AWS requires; any credentials are accepted
 * (the emulator has no secrets to check signatures against), but the header's form is checked.
 */
function checkSigV4(req: IncomingMessage): { region: string; service: string; accessKeyId: string } | { error: string; message: string } {
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
  return { accessKeyId: m[1], region: m[3], service: m[4] };
}

/** The body of `PUT /_emulator/roles`: role ARN → the external id its AssumeRole requires. */
function parseRoles(body: unknown): StsRoles {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('roles: expected an object of role ARN → { "externalId": "..." }');
  const out: StsRoles = {};
  for (const [arn, role] of Object.entries(body as Record<string, unknown>)) {
    const externalId = (role as { externalId?: unknown } | null)?.externalId;
    if (externalId !== undefined && typeof externalId !== 'string') throw new Error(`roles: ${arn}: externalId must be a string`);
    out[arn] = externalId === undefined ? {} : { externalId };
  }
  return out;
}
