/** One step of a store's schema: single statements, applied once in its own transaction (migrations.ts). */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}
