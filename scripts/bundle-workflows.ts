/**
 * The production build's second step (`npm run build`): the workflow code bundled once, ahead of time, so
 * a production worker loads `dist/workflow-bundle.js` instead of running webpack over the sources at
 * every start. The production bundle: the real clock, no simulator module (src/infra/workflow-bundle.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflows } from '../src/infra/workflow-bundle';
import { projectRoot } from '../src/infra/binaries';
import { PREBUILT_WORKFLOW_BUNDLE } from '../src/infra/workflow-bundle';

async function main(): Promise<void> {
  const { code, sourceMap } = await bundleWorkflows();
  const out = join(projectRoot, 'dist', PREBUILT_WORKFLOW_BUNDLE);
  mkdirSync(join(projectRoot, 'dist'), { recursive: true });
  writeFileSync(out, code);
  writeFileSync(`${out}.map`, sourceMap);
  console.log(`build: workflow bundle ${out} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((err: Error) => {
  console.error(`build: ${err.message}`);
  process.exit(1);
});
