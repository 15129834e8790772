import { GROUPS } from './groups';
import { playScenarios } from './run-scenarios';

playScenarios('money', [...GROUPS.money]);
