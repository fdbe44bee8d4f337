// classify(): every way of failing to reach AWS has its own reason, is marked `unreachable` (so
// directory mode reports it once and stops the pass), and is terminal only when retrying cannot
// help (credentials). Errors are built the way Node and the SDK raise them.
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AwsContext } from '../../src/aws/context.js';
import { testCredentials } from '../helpers/emulator.js';
import { NOT_ASKED_REASONS, classify } from '../../src/reconcile/errors.js';
import { CONDITION_REASONS } from '../../src/reconcile/reasons.js';

function nodeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, $metadata: { attempts: 5 } });
}

function awsError(name: string, message: string, httpStatusCode: number): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

const cases: Array<[string, unknown, { reason: string; terminal: boolean; unreachable: boolean; says: RegExp }]> = [
  ['connection refused', nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), { reason: 'AwsUnreachable', terminal: false, unreachable: true, says: /^connection refused: connect ECONNREFUSED 127\.0\.0\.1:1$/ }],
  ['connection reset', nodeError('ECONNRESET', 'socket hang up'), { reason: 'AwsUnreachable', terminal: false, unreachable: true, says: /^connection failed: ECONNRESET: socket hang up$/ }],
  ['no route', nodeError('EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.1:443'), { reason: 'AwsUnreachable', terminal: false, unreachable: true, says: /EHOSTUNREACH/ }],
  ['DNS', nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND nonexistent.invalid'), { reason: 'AwsEndpointNotFound', terminal: false, unreachable: true, says: /does not resolve \(DNS\): getaddrinfo ENOTFOUND/ }],
  ['DNS, temporary', nodeError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN voice-chime.us-east-1.amazonaws.com'), { reason: 'AwsEndpointNotFound', terminal: false, unreachable: true, says: /EAI_AGAIN/ }],
  ['socket timeout', nodeError('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.1:443'), { reason: 'AwsTimeout', terminal: false, unreachable: true, says: /^no answer in time: connect ETIMEDOUT/ }],
  ['SDK timeout', Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' }), { reason: 'AwsTimeout', terminal: false, unreachable: true, says: /TimeoutError: Connection timed out/ }],
  ['self-signed certificate', nodeError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), { reason: 'AwsTlsError', terminal: false, unreachable: true, says: /^TLS failed .*DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate$/ }],
  ['expired certificate', nodeError('CERT_HAS_EXPIRED', 'certificate has expired'), { reason: 'AwsTlsError', terminal: false, unreachable: true, says: /CERT_HAS_EXPIRED/ }],
  ['wrong host name', nodeError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), { reason: 'AwsTlsError', terminal: false, unreachable: true, says: /ALTNAME/ }],
  ['unknown CA', nodeError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'), { reason: 'AwsTlsError', terminal: false, unreachable: true, says: /UNABLE_TO_VERIFY/ }],
  ['no credentials', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), { reason: 'AwsCredentialsMissing', terminal: true, unreachable: true, says: /^no AWS credentials: Could not load credentials/ }],
  ['expired session', awsError('ExpiredTokenException', 'The security token included in the request is expired', 403), { reason: 'AwsCredentialsRefused', terminal: true, unreachable: true, says: /expired.*ExpiredTokenException: The security token/ }],
  ['unknown key', awsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403), { reason: 'AwsCredentialsRefused', terminal: true, unreachable: true, says: /UnrecognizedClientException/ }],
  ['bad signature', awsError('InvalidSignatureException', 'The request signature we calculated does not match', 403), { reason: 'AwsCredentialsRefused', terminal: true, unreachable: true, says: /InvalidSignatureException/ }],
  ['access denied', awsError('AccessDeniedException', 'User: x is not authorized to perform: chime:ListVoiceConnectors', 403), { reason: 'AwsAccessDenied', terminal: true, unreachable: false, says: /^AccessDeniedException: User: x is not authorized/ }],
  ['throttled', awsError('ThrottledClientException', 'Rate exceeded', 429), { reason: 'AwsThrottled', terminal: false, unreachable: false, says: /Rate exceeded/ }],
  ['503', awsError('ServiceUnavailableException', 'unavailable', 503), { reason: 'AwsUnavailable', terminal: false, unreachable: false, says: /unavailable/ }],
];

describe('classify', () => {
  for (const [name, err, want] of cases) {
    it(`${name}: ${want.reason}${want.unreachable ? ', unreachable' : ''}${want.terminal ? ', terminal' : ''}`, () => {
      const c = classify(err);
      expect(c.reason).toBe(want.reason);
      expect(c.terminal).toBe(want.terminal);
      expect(c.unreachable === true).toBe(want.unreachable);
      expect(c.message).toMatch(want.says);
      // Every reason is explained in the catalog docs/conditions.md is generated from.
      expect(CONDITION_REASONS[c.reason]).toBeDefined();
    });
  }

  it('every reason of a failure to reach AWS counts as "AWS was not asked" for plan', () => {
    for (const [, err, want] of cases) if (want.unreachable) expect(NOT_ASKED_REASONS.has(classify(err).reason)).toBe(true);
    expect(NOT_ASKED_REASONS.has('AwsAccessDenied')).toBe(true);
    expect(NOT_ASKED_REASONS.has('AwsThrottled')).toBe(false);
  });
});

describe('AwsContext when the endpoint fails', () => {
  it('an endpoint that accepts connections and never answers: a timeout, classified, instead of a hang', async () => {
    const server = createServer(() => {}).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const aws = new AwsContext({ region: 'us-east-1', endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, credentials: testCredentials, requestTimeoutMs: 200, maxAttempts: 1 });
    try {
      const err = await aws.send('voice', 'ListVoiceConnectors', {}).catch((e: unknown) => e);
      expect(classify(err)).toMatchObject({ reason: 'AwsTimeout', unreachable: true });
    } finally {
      aws.destroy();
      server.close();
    }
  });

  it('failFast: after the first unreachable error, later calls fail at once with it, without connecting, until resetFailure', async () => {
    let connections = 0;
    // Accepts and drops every connection: ECONNRESET on each attempt.
    const server = createServer((socket) => {
      connections++;
      socket.destroy();
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const aws = new AwsContext({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: testCredentials,
      maxAttempts: 1,
      failFast: (e) => classify(e).unreachable === true,
    });
    try {
      const first = await aws.send('voice', 'ListVoiceConnectors', {}).catch((e: unknown) => e);
      expect(classify(first).reason).toBe('AwsUnreachable');
      expect(connections).toBe(1);
      const second = await aws.send('voice', 'ListSipMediaApplications', {}).catch((e: unknown) => e);
      expect(second).toBe(first);
      expect(connections).toBe(1);
      expect(aws.failedWith).toBe(first);
      expect(aws.failedIn).toBe('us-east-1');
      aws.resetFailure();
      await aws.send('voice', 'ListVoiceConnectors', {}).catch(() => undefined);
      expect(connections).toBe(2);
      // A failure through another region's endpoint is reported with that region, not the home one.
      aws.resetFailure();
      const west = await aws.send('voice', 'GetVoiceConnector', { VoiceConnectorId: 'abc' }, 'us-west-2').catch((e: unknown) => e);
      expect(aws.failedWith).toBe(west);
      expect(aws.failedIn).toBe('us-west-2');
    } finally {
      aws.destroy();
      server.close();
    }
  });
});
