// The workflows the worker registers. Workflow code only: no Node built-ins, no I/O.
export { contract } from './contract/workflow';
export { billingRun } from './billing-run';
export { providerAction } from './provider-action';
