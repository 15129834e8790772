import { describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { countActions, describeActions, sumActions } from '../../bench/actions';

type Event = temporal.api.history.v1.IHistoryEvent;
const T = temporal.api.enums.v1.EventType;

/**
 * A hand-made history: event ids from 1, each event given as its type and attributes in plain JSON, made
 * into proto objects the way a fetched history is (64-bit ids as Long).
 */
function history(...events: Array<Record<string, unknown>>): Event[] {
  return events.map((e, i) => temporal.api.history.v1.HistoryEvent.fromObject({ eventId: i + 1, ...e }));
}
const wftScheduled = { eventType: T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED };
const wftStarted = { eventType: T.EVENT_TYPE_WORKFLOW_TASK_STARTED };
const wftCompleted = (nonfirstLocalActivityExecutionAttempts = 0) => ({
  eventType: T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  workflowTaskCompletedEventAttributes: { meteringMetadata: { nonfirstLocalActivityExecutionAttempts } },
});
const marker = (markerName: string, workflowTaskCompletedEventId: number) => ({
  eventType: T.EVENT_TYPE_MARKER_RECORDED,
  markerRecordedEventAttributes: { markerName, workflowTaskCompletedEventId },
});
const upsert = (...names: string[]) => ({
  eventType: T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  upsertWorkflowSearchAttributesEventAttributes: { searchAttributes: { indexedFields: Object.fromEntries(names.map((n) => [n, {}])) } },
});

describe('countActions (Temporal Cloud billable Actions from history)', () => {
  // A run continued as new: a patch, three local activities in one workflow task, an update, timers.
  const run = history(
    /* 1 */ { eventType: T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, workflowExecutionStartedEventAttributes: { continuedExecutionRunId: 'previous' } },
    /* 2 */ wftScheduled,
    /* 3 */ wftStarted,
    /* 4 */ wftCompleted(),
    /* 5 */ marker('core_patch', 4), // patch alone in its workflow task: one batch
    /* 6 */ upsert('TemporalChangeVersion'), // exempt
    /* 7 */ upsert('ContractStatus', 'NextBillingAt'), // one Action for both
    /* 8 */ { eventType: T.EVENT_TYPE_TIMER_STARTED },
    /* 9 */ wftScheduled,
    /* 10 */ wftStarted,
    /* 11 */ wftCompleted(2), // two local activity retries
    /* 12 */ { eventType: T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED },
    /* 13 */ marker('core_local_activity', 11),
    /* 14 */ marker('core_local_activity', 11),
    /* 15 */ marker('core_patch', 11), // same workflow task: still one batch
    /* 16 */ { eventType: T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED },
    /* 17 */ { eventType: T.EVENT_TYPE_TIMER_CANCELED },
    /* 18 */ { eventType: T.EVENT_TYPE_TIMER_STARTED },
    /* 19 */ { eventType: T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED },
    /* 20 */ wftScheduled,
    /* 21 */ wftStarted,
    /* 22 */ wftCompleted(),
    /* 23 */ { eventType: T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED },
    /* 24 */ { eventType: T.EVENT_TYPE_ACTIVITY_TASK_STARTED, activityTaskStartedEventAttributes: { attempt: 3 } }, // two retries
    /* 25 */ { eventType: T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED },
    /* 26 */ { eventType: T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED },
    /* 27 */ wftScheduled,
    /* 28 */ wftStarted,
    /* 29 */ wftCompleted(),
    /* 30 */ { eventType: T.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW }, // the next run's STARTED counts, not this
  );

  it('counts each kind by the Cloud rules', () => {
    expect(countActions(run)).toEqual({
      starts: 1,
      scheduleStarts: 0,
      childStarts: 2,
      updates: 1,
      signals: 1,
      timers: 2,
      activities: 1,
      activityRetries: 2,
      localActivityBatches: 1,
      otherMarkerBatches: 1,
      localActivityRetries: 2,
      upserts: 1,
      optionsUpdates: 0,
      resets: 0,
      nexus: 0,
      total: 15,
      exemptUpserts: 1,
    });
  });

  it('counts signal-with-start once, a scheduled start three times, a child run not again', () => {
    const signalWithStart = history(
      { eventType: T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED },
      { eventType: T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED },
      wftScheduled,
    );
    expect(countActions(signalWithStart)).toMatchObject({ starts: 1, signals: 0, total: 1 });
    const scheduled = history({
      eventType: T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
      workflowExecutionStartedEventAttributes: { searchAttributes: { indexedFields: { TemporalScheduledById: {} } } },
    });
    expect(countActions(scheduled)).toMatchObject({ starts: 1, scheduleStarts: 2, total: 3 });
    const child = history({
      eventType: T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
      workflowExecutionStartedEventAttributes: { parentWorkflowExecution: { workflowId: 'parent' } },
    });
    expect(countActions(child).total).toBe(0);
  });

  it('sums runs and describes the non-zero kinds per year', () => {
    const two = sumActions([countActions(run), countActions(run)]);
    expect(two.total).toBe(30);
    expect(two.localActivityBatches).toBe(2);
    expect(describeActions(two, 2)).toBe(
      'starts 1.0 · child starts 2.0 · updates 1.0 · signals 1.0 · timers 2.0 · activities 1.0 · activity retries 2.0 · local-activity batches 1.0 · patch-marker batches 1.0 · local-activity retries 2.0 · upserts 1.0 · TemporalChangeVersion upserts (exempt) 1.0',
    );
  });
});
