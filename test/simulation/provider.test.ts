import { GROUPS } from './groups';
import { playScenarios } from './run-scenarios';

playScenarios('price lists, discontinuation, maintenance and allowances', [...GROUPS.provider]);
