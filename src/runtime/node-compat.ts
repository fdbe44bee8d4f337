/**
 * @kubernetes/client-node 2.0.1 depends on undici ^8, which needs Node 22.19 (`engines`): on Node
 * 20 its decompress interceptor reads `zlib.createZstdDecompress` at load and throws, so the client
 * cannot even be imported; its fetch also calls `worker_threads.markAsUncloneable` (Node 22.10)
 * on every Request and Response, and `Promise.withResolvers` (Node 22) on every body. The API server never answers with zstd (it offers gzip only), so
 * a stub that refuses zstd is enough, and marking objects uncloneable only matters to
 * structuredClone, which nothing here applies to them. Imported before @kubernetes/client-node by every module that loads
 * it; the lasting fix is a Node 22 runtime or pinning undici 7 through `overrides`.
 */
import workerThreads from 'node:worker_threads';
import zlib from 'node:zlib';

const z = zlib as unknown as Record<string, unknown>;
if (typeof z.createZstdDecompress !== 'function') {
  z.createZstdDecompress = () => {
    throw new Error('zstd content encoding is not supported on this Node.js version');
  };
}

const w = workerThreads as unknown as Record<string, unknown>;
if (typeof w.markAsUncloneable !== 'function') w.markAsUncloneable = () => {};

const P = Promise as unknown as { withResolvers?: unknown };
if (typeof P.withResolvers !== 'function') {
  P.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
