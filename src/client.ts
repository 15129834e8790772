/**
 * The back-office CLI entry: `npm run cli -- <command> …` or `bin/neutrix <command> …`.
 * Everything is in src/cli/; `neutrix --help` lists the commands.
 */
import { runCli } from './cli';

export { runCli } from './cli';

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      // Let stdout drain (an invoice piped to a file can be large) before leaving.
      process.stdout.write('', () => process.exit(code));
    },
    (err: Error) => {
      console.error(`neutrix: ${err.message}`);
      process.exit(1);
    },
  );
}
