/**
 * The test cluster: a real etcd and kube-apiserver per test file, started by the code `npm run
 * cluster` uses too (scripts/lib/control-plane.ts). CHIME_TEST_CLUSTER_KEEP=1 keeps each cluster's
 * folder (logs, data) after stop().
 */
import { startCluster as startControlPlane, type Cluster, type StartClusterOptions } from '../../scripts/lib/control-plane.js';

export { REPO_ROOT, ensureClusterBinaries, freePort, runKubectl } from '../../scripts/lib/control-plane.js';
export type { Cluster, KubectlOptions, KubectlResult, StartClusterOptions } from '../../scripts/lib/control-plane.js';

export function startCluster(options: StartClusterOptions = {}): Promise<Cluster> {
  return startControlPlane({ keepDir: process.env.CHIME_TEST_CLUSTER_KEEP === '1', ...options });
}
