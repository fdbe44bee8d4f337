/**
 * One connection pool for the API server (src/runtime/kube.ts shareDispatcher): requests made
 * through the kubeconfig loadKubeConfig returns reuse one TLS connection instead of each opening
 * its own (the client library's default builds an HTTP agent per request, whose connections and
 * OpenSSL contexts were the largest part of the controller's native memory). The pool follows
 * the TLS material: a CA file rewritten on disk gets a new pool, and the old one is closed.
 *
 * An HTTPS server of this file's own (a certificate made now with openssl) stands in for the API
 * server: what is counted is its TLS connections.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, loadKubeConfig, shareDispatcher } from '../../src/runtime/kube.js';
import { KubeConfig, Watch } from '@kubernetes/client-node';

let server: Server;
let dir: string;
let kubeconfig: string;
const connections: TLSSocket[] = [];
const closed = new Set<TLSSocket>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cvo-kube-pool-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    res.setHeader('content-type', 'application/json');
    const name = /\/namespaces\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? 'x';
    res.end(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    connections.push(socket);
    socket.on('close', () => closed.add(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  kubeconfig = join(dir, 'kubeconfig');
  // The CA as a file, as in a cluster (the service account's ca.crt): the library reads it on every request.
  writeFileSync(join(dir, 'ca.pem'), readFileSync(join(dir, 'cert.pem')));
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}`, 'certificate-authority': join(dir, 'ca.pem') } }],
      users: [{ name: 'u', user: { token: 'not-a-secret' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const until = async (predicate: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!predicate() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return predicate();
};

describe('the API server connection pool', () => {
  // undici opens a second connection when a request is sent before the previous one's socket is
  // back in the pool (the client library resolves a call as soon as it has read the body): one
  // pool holds one or two connections here, never one per request.
  it('sequential requests, API calls and a watch alike, share the connections of one pool', async () => {
    const kc = loadKubeConfig(kubeconfig);
    const kube = new KubeClient(kc);
    const before = connections.length;
    for (let i = 0; i < 10; i++) expect((await kube.core.readNamespace({ name: `ns-${i}` })).metadata?.name).toBe(`ns-${i}`);
    // The watch's request goes through the same kubeconfig (src/runtime/informer.ts uses Watch).
    const ended = new Promise<void>((resolve) => {
      void new Watch(kc).watch('/api/v1/namespaces/w', {}, () => undefined, () => resolve());
    });
    await ended;
    await kube.core.readNamespace({ name: 'after-watch' });
    // Without the shared pool: twelve requests, twelve connections.
    expect(connections.length - before).toBeLessThanOrEqual(2);
  });

  it('a CA file rewritten on disk gets a new pool, and the old connection is closed', async () => {
    const kube = new KubeClient(loadKubeConfig(kubeconfig));
    await kube.core.readNamespace({ name: 'first' });
    const first = connections[connections.length - 1];
    const count = connections.length;
    // Still the same CA (a trailing newline), but other bytes: the TLS options changed.
    appendFileSync(join(dir, 'ca.pem'), '\n');
    for (let i = 0; i < 10; i++) await kube.core.readNamespace({ name: `after-${i}` });
    expect(connections.length - count).toBeGreaterThanOrEqual(1);
    expect(connections.length - count).toBeLessThanOrEqual(2);
    expect(await until(() => closed.has(first))).toBe(true);
  });

  it('a kubeconfig whose library lacks the private method it replaces is an error, not a silent pool per request', () => {
    const kc = new KubeConfig();
    (kc as unknown as { createDispatcher: undefined }).createDispatcher = undefined;
    expect(() => shareDispatcher(kc)).toThrow(/createDispatcher is gone/);
  });
});
