/**
 * Temporal Cloud billable Actions, counted from recorded workflow histories — the figure an operator on
 * Temporal Cloud pays for. A pure function over history events, no server involved.
 *
 * The definition is Temporal Cloud's "Temporal Cloud Actions" page, https://docs.temporal.io/cloud/actions
 * (temporalio/documentation docs/evaluate/cloud/actions.mdx). What it says, and what is counted here:
 *   - Workflow started (client start, Continue-As-New, Child Workflow start): one per run, counted on the run's
 *     EVENT_TYPE_WORKFLOW_EXECUTION_STARTED ("the UI shows a billable action only for the STARTED event of the
 *     newly started Workflow", not on CONTINUED_AS_NEW). A Schedule's execution is three Actions: two for the
 *     Schedule, one for the start (a STARTED with TemporalScheduledById). Signal-With-Start is one Action in
 *     all (STARTED followed at once by SIGNALED counts once).
 *   - Start Child Workflow initiated: two Actions (the intent, and the attempt to start it); the child's own
 *     first run is then not counted again (the server's action metric counts the command twice and nothing on
 *     the child's side: temporalio/temporal common/rpc/interceptor/telemetry.go).
 *   - Update received by the Worker: every accepted Update (EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) and
 *     every rejected one. Rejections are never written to history, so they cannot be counted here.
 *     De-duplicated updates (same update id) write no second acceptance and cost nothing.
 *   - Signal sent: every EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED (counted in the signalled history only).
 *   - Timer started: every EVENT_TYPE_TIMER_STARTED, including the implicit timers of `condition(fn, timeout)`.
 *   - Activity started or retried: each EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, plus `attempt − 1` on its
 *     EVENT_TYPE_ACTIVITY_TASK_STARTED (intermediate attempts write no events).
 *   - Local Activities: "All Local Activities associated with one Workflow Task count as a single Action.
 *     Temporal Cloud counts all RecordMarkers from each Workflow Task as one action" — so one Action per
 *     workflow task with any EVENT_TYPE_MARKER_RECORDED, whether the markers are local activities or patches
 *     (`patched()` records a `core_patch` marker; the server's metric batches every marker the same way).
 *     Local activity retries: `meteringMetadata.nonfirstLocalActivityExecutionAttempts` of the
 *     WORKFLOW_TASK_COMPLETED (capped at 100 per workflow task, as the page says).
 *   - Search Attribute upsert: one per EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES however many attributes it
 *     sets; an upsert of TemporalChangeVersion alone (what `patched()` adds) is exempt.
 *   - Workflow Execution Options updated, Workflow reset (WORKFLOW_TASK_FAILED with cause RESET_WORKFLOW),
 *     Nexus operation scheduled / cancel requested: one each.
 * Not in history, so not counted: rejected updates, queries, activity heartbeats that reach the server,
 * workflow task heartbeats (a local activity longer than the workflow task timeout), schedule create/update,
 * export.
 */
import { temporal } from '@temporalio/proto';

type Event = temporal.api.history.v1.IHistoryEvent;
const T = temporal.api.enums.v1.EventType;

export interface ActionCounts {
  /** Workflow runs started: the first run, each continue-as-new, signal-with-start, workflow retries. */
  starts: number;
  /** The Schedule's own two Actions per scheduled start. */
  scheduleStarts: number;
  /** Two per child workflow initiated. */
  childStarts: number;
  updates: number;
  signals: number;
  timers: number;
  /** First attempts of (regular) activities. */
  activities: number;
  activityRetries: number;
  /** Workflow tasks that recorded a local-activity marker (with or without other markers). */
  localActivityBatches: number;
  /** Workflow tasks that recorded markers but no local activity (e.g. only `patched()` markers). */
  otherMarkerBatches: number;
  localActivityRetries: number;
  upserts: number;
  optionsUpdates: number;
  resets: number;
  nexus: number;
  /** The sum of the above. */
  total: number;
  /** Not billed, shown for transparency: upserts of TemporalChangeVersion alone. */
  exemptUpserts: number;
}

export const noActions = (): ActionCounts => ({
  starts: 0,
  scheduleStarts: 0,
  childStarts: 0,
  updates: 0,
  signals: 0,
  timers: 0,
  activities: 0,
  activityRetries: 0,
  localActivityBatches: 0,
  otherMarkerBatches: 0,
  localActivityRetries: 0,
  upserts: 0,
  optionsUpdates: 0,
  resets: 0,
  nexus: 0,
  total: 0,
  exemptUpserts: 0,
});

const BILLED: Array<Exclude<keyof ActionCounts, 'total' | 'exemptUpserts'>> = [
  'starts',
  'scheduleStarts',
  'childStarts',
  'updates',
  'signals',
  'timers',
  'activities',
  'activityRetries',
  'localActivityBatches',
  'otherMarkerBatches',
  'localActivityRetries',
  'upserts',
  'optionsUpdates',
  'resets',
  'nexus',
];

const LOCAL_ACTIVITY_MARKER = 'core_local_activity';
const LOCAL_ACTIVITY_RETRIES_CAP = 100;

/** The Actions of one run's history (event ids, and so the marker batches, are per run). */
export function countActions(events: readonly Event[]): ActionCounts {
  const c = noActions();
  /** Marker batches: workflow task completed event id → whether it holds a local activity. */
  const batches = new Map<string, boolean>();
  events.forEach((e, i) => {
    switch (e.eventType) {
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: {
        const a = e.workflowExecutionStartedEventAttributes;
        // A child's first run is paid by the parent's START_CHILD_WORKFLOW_EXECUTION_INITIATED (two Actions).
        if (a?.parentWorkflowExecution && !a.continuedExecutionRunId) break;
        c.starts++;
        if (a?.searchAttributes?.indexedFields?.TemporalScheduledById) c.scheduleStarts += 2;
        break;
      }
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        // Signal-with-start of a new workflow writes STARTED then SIGNALED: one Action in all.
        if (i === 1 && events[0]?.eventType === T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) break;
        c.signals++;
        break;
      case T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        c.childStarts += 2;
        break;
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        c.updates++;
        break;
      case T.EVENT_TYPE_TIMER_STARTED:
        c.timers++;
        break;
      case T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        c.activities++;
        break;
      case T.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        c.activityRetries += Math.max(0, (e.activityTaskStartedEventAttributes?.attempt ?? 1) - 1);
        break;
      case T.EVENT_TYPE_MARKER_RECORDED: {
        const a = e.markerRecordedEventAttributes;
        const key = String(a?.workflowTaskCompletedEventId ?? `event ${String(e.eventId)}`);
        batches.set(key, (batches.get(key) ?? false) || a?.markerName === LOCAL_ACTIVITY_MARKER);
        break;
      }
      case T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        c.localActivityRetries += Math.min(
          LOCAL_ACTIVITY_RETRIES_CAP,
          e.workflowTaskCompletedEventAttributes?.meteringMetadata?.nonfirstLocalActivityExecutionAttempts ?? 0,
        );
        break;
      case T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const names = Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {});
        if (names.some((n) => n !== 'TemporalChangeVersion')) c.upserts++;
        else c.exemptUpserts++;
        break;
      }
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED:
        c.optionsUpdates++;
        break;
      case T.EVENT_TYPE_WORKFLOW_TASK_FAILED:
        if (e.workflowTaskFailedEventAttributes?.cause === temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW) c.resets++;
        break;
      case T.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED:
      case T.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED:
        c.nexus++;
        break;
      default:
        break;
    }
  });
  for (const hasLocalActivity of batches.values()) {
    if (hasLocalActivity) c.localActivityBatches++;
    else c.otherMarkerBatches++;
  }
  c.total = BILLED.reduce((a, k) => a + c[k], 0);
  return c;
}

/** The Actions of several runs (every run of a workflow id, or several workflows). */
export function sumActions(runs: readonly ActionCounts[]): ActionCounts {
  const out = noActions();
  for (const r of runs) for (const k of Object.keys(out) as Array<keyof ActionCounts>) out[k] += r[k];
  return out;
}

const LABELS: Record<Exclude<keyof ActionCounts, 'total'>, string> = {
  starts: 'starts',
  scheduleStarts: 'schedule',
  childStarts: 'child starts',
  updates: 'updates',
  signals: 'signals',
  timers: 'timers',
  activities: 'activities',
  activityRetries: 'activity retries',
  localActivityBatches: 'local-activity batches',
  otherMarkerBatches: 'patch-marker batches',
  localActivityRetries: 'local-activity retries',
  upserts: 'upserts',
  optionsUpdates: 'options updates',
  resets: 'resets',
  nexus: 'nexus',
  exemptUpserts: 'TemporalChangeVersion upserts (exempt)',
};

/** The non-zero kinds, each divided by `per` (e.g. years), as "updates 25.0 · timers 13.0 · …". */
export function describeActions(c: ActionCounts, per = 1, digits = 1): string {
  return (Object.keys(LABELS) as Array<keyof typeof LABELS>)
    .filter((k) => c[k] > 0)
    .map((k) => `${LABELS[k]} ${(c[k] / per).toFixed(digits)}`)
    .join(' · ');
}
