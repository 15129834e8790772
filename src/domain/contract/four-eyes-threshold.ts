/**
 * The four-eyes threshold a contract starts with (FOUR_EYES_THRESHOLD_YEN, fixed for its life): charges,
 * damages and penalties above it need a second supervisor (src/domain/actor.ts, 運用 (four eyes)).
 */

/** Why a start's threshold cannot be used (whole yen, 0 or more), or null; absent means the default. */
export function fourEyesThresholdProblem(thresholdYen: unknown): string | null {
  if (thresholdYen === undefined) return null;
  return typeof thresholdYen === 'number' && Number.isSafeInteger(thresholdYen) && thresholdYen >= 0
    ? null
    : 'fourEyesThresholdYen: expected whole yen, 0 or more';
}
