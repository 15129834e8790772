/** What loading these settings answers: `accepted`, or the message naming each setting refused. */
import { loadSettings } from '../../src/settings';

export function settingsFailure(env: Record<string, string>): string {
  try {
    loadSettings(env);
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
}
