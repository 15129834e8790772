/**
 * The application and command schemas of the contract workflows, built once per worker thread and shared
 * by every contract it runs. The worker evaluates this module in its shared V8 context before any workflow
 * (`preloadModules`, src/infra/workflow-bundle.ts); built per workflow, the schemas were most of a cached
 * workflow's memory and of the work of starting one.
 *
 * The SDK freezes whatever a preloaded module exports, and zod finishes a schema on its first use, so the
 * schemas stay in this module's scope and only functions leave it. Sharing them is safe for determinism:
 * a schema holds no workflow's state, and what zod fills in on first use is the same for every workflow.
 */
import { z } from 'zod';
import { buildSchemas, parseWith, type Application, type Command, type CommandName, type Parsed } from '../../domain/validation';

// zod keeps its settings on a global that is frozen with this module; it would otherwise set these
// defaults on its first schema, so they are set here, explicitly, before the freeze.
z.config({ ...z.locales.en(), memoizer: z.memoizer() });

const schemas = buildSchemas();

export function parseApplication(input: unknown): Parsed<Application> {
  return parseWith(schemas.application, input, 'application');
}

export function parseCommand<N extends CommandName>(name: N, input: unknown): Parsed<Command<N>> {
  return parseWith(schemas.commands[name], input) as Parsed<Command<N>>;
}
