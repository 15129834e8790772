import { GROUPS } from './groups';
import { playScenarios } from './run-scenarios';

playScenarios('applications and changes', [...GROUPS.applications]);
