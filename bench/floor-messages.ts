/** The platform floor's one message: an update its trivial workflows answer at once (bench/floor-workflow.ts). */
import { defineUpdate } from '@temporalio/workflow';

export const pingUpdate = defineUpdate<string, [string]>('ping');
