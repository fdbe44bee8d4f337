// A plan or apply that could not ask AWS says so first and plainly (which endpoint, which error,
// which objects), never "No changes", and exits 1; apply does not retry a refused connection for
// the whole --timeout; apply --watch keeps trying with backoff and says so. One test per class of
// failure: connection refused, DNS, TLS, missing credentials, AccessDenied; and an object that
// ends in Error for any other reason shows in every output format and in the exit code.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { envWithoutAws, lastLine, runCli } from '../helpers/cli.js';

/** A port nothing listens on: bound once to get a free number, then closed. */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const work = mkdtempSync(path.join(tmpdir(), 'cvo-unreachable-'));
const status = (name: string) => ['--status-file', path.join(work, `${name}.json`)];
const EXAMPLES = 'examples';
/** Every object of examples/ (the not-asked list must name each). */
const EXAMPLE_OBJECTS = ['VoiceConnector default/office-pbx-trunk', 'PhoneNumber default/office-main-line', 'SipRule default/ivr-main-number', 'VoiceGlobalSettings default/account'];

function expectNotAsked(text: string, heading: RegExp, reason: string, verb: 'planned' | 'applied') {
  expect(text).toMatch(heading);
  expect(text).toContain(`[${reason}]`);
  expect(text).toMatch(new RegExp(`14 objects not ${verb}: `));
  for (const o of EXAMPLE_OBJECTS) expect(text).toContain(o);
  expect(text).not.toContain('No changes');
}

describe('plan and apply when AWS cannot be asked', () => {
  it('connection refused: plan says which endpoint and cause, lists the objects, exits 1, in text and markdown', async () => {
    const port = await closedPort();
    const endpoint = `http://127.0.0.1:${port}`;
    const text = await runCli(['plan', '-f', EXAMPLES, '--endpoint', endpoint, ...status('refused')]);
    expect(text.code, text.stderr).toBe(1);
    // examples/ lives in two regions, observed side by side: the report names the region whose call failed first.
    expectNotAsked(text.stdout, new RegExp(`^AWS unreachable at ${endpoint} \\(region (us-east-1|us-west-2)\\): connection refused: connect ECONNREFUSED`), 'AwsUnreachable', 'planned');
    expect(lastLine(text.stdout)).toMatch(/^Plan incomplete: 14 objects could not be planned/);
    // Said once, not once per object.
    expect(text.stdout.match(/ECONNREFUSED/g)).toHaveLength(1);

    const md = await runCli(['plan', '-f', EXAMPLES, '--endpoint', endpoint, '-o', 'markdown', ...status('refused')]);
    expect(md.code, md.stderr).toBe(1);
    expect(md.stdout).toContain('**Plan incomplete.** AWS unreachable at');
    expectNotAsked(md.stdout, /ECONNREFUSED/, 'AwsUnreachable', 'planned');
    expect(md.stderr).toMatch(/AWS unreachable at/);

    // The hidden alias of earlier releases still works, and json carries the same verdict.
    const legacy = await runCli(['plan', '-f', EXAMPLES, '--endpoint', endpoint, '--format', 'markdown', ...status('refused')]);
    expect(legacy.stdout).toContain('**Plan incomplete.**');
    const json = await runCli(['plan', '-f', EXAMPLES, '--endpoint', endpoint, '-o', 'json', ...status('refused')]);
    const parsed = JSON.parse(json.stdout) as { complete: boolean; notAsked: { reason: string; objects: string[] } };
    expect(parsed.complete).toBe(false);
    expect(parsed.notAsked.reason).toBe('AwsUnreachable');
    expect(parsed.notAsked.objects).toHaveLength(14);
  });

  it('connection refused: apply fails the pass with the cause after the SDK retries, instead of retrying until --timeout', async () => {
    const port = await closedPort();
    // Before, apply retried refused connections with backoff until --timeout (10 minutes by default):
    // the hang check kills it long before that.
    const run = await runCli(['apply', '-f', EXAMPLES, '--endpoint', `http://127.0.0.1:${port}`, ...status('apply-refused')], { timeoutMs: 45_000 });
    expect(run.hung, run.stderr).toBe(false);
    expect(run.code, run.stderr).toBe(1);
    expectNotAsked(run.stderr, /AWS unreachable at http:\/\/127\.0\.0\.1:\d+ \(region (us-east-1|us-west-2)\): connection refused/, 'AwsUnreachable', 'applied');
    expect(run.stderr.match(/ECONNREFUSED/g)).toHaveLength(1);
  });

  it('apply --watch keeps trying with backoff and says so on each try', async () => {
    const port = await closedPort();
    let stopped = false;
    const run = await runCli(['apply', '-f', EXAMPLES, '--endpoint', `http://127.0.0.1:${port}`, '--watch', ...status('watch-refused')], {
      timeoutMs: 60_000,
      onOutput: (text, child) => {
        if (!stopped && (text.match(/AWS still unreachable after \d+ pass(es)?: trying again in/g) ?? []).length >= 2) {
          stopped = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(run.hung, run.stderr).toBe(false);
    expect(run.stderr).toMatch(/AWS still unreachable after 1 pass: trying again in \d+s/);
    expect(run.stderr).toMatch(/AWS still unreachable after 2 passes: trying again in \d+s/);
    expect(run.code).toBe(0);
    expect(lastLine(run.stderr)).toBe('stopped');
  });

  it('DNS: a host name that does not resolve', async () => {
    const run = await runCli(['plan', '-f', EXAMPLES, '--endpoint', 'http://nonexistent.invalid', ...status('dns')]);
    expect(run.code, run.stderr).toBe(1);
    expectNotAsked(run.stdout, /^AWS unreachable at http:\/\/nonexistent\.invalid \(region (us-east-1|us-west-2)\): the AWS endpoint's host name does not resolve \(DNS\): getaddrinfo ENOTFOUND nonexistent\.invalid/, 'AwsEndpointNotFound', 'planned');
  });

  describe('TLS: a server whose certificate is not trusted', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      // A self-signed certificate made now, for this test only.
      const dir = mkdtempSync(path.join(tmpdir(), 'cvo-tls-'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
      server = createHttpsServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) => res.end('{}'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('plan names the TLS failure and plans nothing', async () => {
      const run = await runCli(['plan', '-f', EXAMPLES, '--endpoint', url, ...status('tls')]);
      expect(run.code, run.stderr).toBe(1);
      expectNotAsked(run.stdout, new RegExp(`^AWS unreachable at ${url} \\(region (us-east-1|us-west-2)\\): TLS failed \\(certificate or handshake\\): DEPTH_ZERO_SELF_SIGNED_CERT: self[- ]signed certificate`), 'AwsTlsError', 'planned');
    });
  });

  it('missing credentials: no endpoint and no AWS configuration at all', async () => {
    const run = await runCli(['plan', '-f', EXAMPLES, ...status('no-credentials')], { env: envWithoutAws() });
    expect(run.code, run.stderr).toBe(1);
    expectNotAsked(run.stdout, /^AWS credentials not usable for the AWS endpoint of region (us-east-1|us-west-2): no AWS credentials: Could not load credentials/, 'AwsCredentialsMissing', 'planned');
  });

  describe('against an emulator', () => {
    let emu: Emulator;
    beforeAll(async () => {
      emu = await startEmulator();
    });
    afterAll(async () => {
      await emu.stop();
    });

    it('AccessDenied: plan says access was denied, with AWS\'s message, and lists every object', async () => {
      emu.setFaults({ errorRates: { '*': { probability: 1, error: 'AccessDeniedException' } } });
      try {
        const run = await runCli(['plan', '-f', EXAMPLES, '--endpoint', emu.url, ...status('denied')]);
        expect(run.code, run.stderr).toBe(1);
        expectNotAsked(run.stdout, new RegExp(`^AWS denied access at ${emu.url} \\(region (us-east-1|us-west-2)\\): AccessDeniedException: User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: chime:`), 'AwsAccessDenied', 'planned');
      } finally {
        emu.setFaults({});
      }
    });

    it('an object that ends in Error for another reason (503s) shows in text, markdown and json, and the exit code', async () => {
      const dir = path.join(work, 'ivr');
      cpSync('examples/ivr/sip-media-applications.yaml', path.join(dir, 'sip-media-applications.yaml'));
      emu.setFaults({ errorRates: { ListSipMediaApplications: { probability: 1, status: 503 } } });
      try {
        const text = await runCli(['plan', '-f', dir, '--endpoint', emu.url, ...status('503')]);
        expect(text.code, text.stderr).toBe(1);
        expect(text.stdout).not.toContain('No changes');
        expect(text.stdout).toMatch(/SipMediaApplication default\/ivr-east[^\n]*\n {2}! could not be planned: ServiceUnavailableException: [^\n]*\[AwsUnavailable\]/);
        expect(text.stdout).toMatch(/SipMediaApplication default\/ivr-west/);
        expect(lastLine(text.stdout)).toMatch(/^Plan incomplete: 2 objects could not be planned/);
        const md = await runCli(['plan', '-f', dir, '--endpoint', emu.url, '-o', 'markdown', ...status('503')]);
        expect(md.code).toBe(1);
        expect(md.stdout).not.toContain('No changes');
        expect(md.stdout).toMatch(/\| `SipMediaApplication default\/ivr-east` \| \*\*could not be planned\*\*: ServiceUnavailableException/);
        const json = await runCli(['plan', '-f', dir, '--endpoint', emu.url, '-o', 'json', ...status('503')]);
        expect(json.code).toBe(1);
        expect((JSON.parse(json.stdout) as { complete: boolean }).complete).toBe(false);
      } finally {
        emu.setFaults({});
      }
    });
  });
});

