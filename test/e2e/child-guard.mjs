/* global process, setTimeout */
// Preloaded into controller processes started by test/e2e/helpers.ts (`node --import <this>`):
// the test process holds the write end of our stdin, so when it ends in any way (even SIGKILL,
// or a vitest worker torn down) stdin closes and the controller stops instead of outliving the run.
process.stdin.on('end', () => {
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.exit(1), 10_000).unref();
});
process.stdin.on('error', () => {});
process.stdin.resume();
// Unreferenced: a controller that ends on its own must not be kept alive by this pipe.
process.stdin.unref?.();
