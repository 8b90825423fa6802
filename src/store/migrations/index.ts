// Every migration, in order. Append only: never edit or reorder a released migration.
import { initial } from './001-initial.ts';
import { versions } from './002-versions.ts';
import { harvestRuns } from './003-harvest-runs.ts';
import { paperCategories } from './004-paper-categories.ts';
import { embeddings } from './005-embeddings.ts';
import { embeddingsPerModel } from './006-embeddings-per-model.ts';
import { people } from './007-people.ts';
import { subscriptions } from './008-subscriptions.ts';
import { jobRuns } from './009-job-runs.ts';
import { rateLimits } from './010-rate-limits.ts';
import { changeNotices } from './011-change-notices.ts';
import { hyphenCompounds } from './012-hyphen-compounds.ts';
import { deferredCategoryTrigger } from './013-deferred-category-trigger.ts';
import { storedCompounds } from './014-stored-compounds.ts';
import { inlineSearchVectors } from './015-inline-search-vectors.ts';
import type { Migration } from './migration.ts';

export const MIGRATIONS: readonly Migration[] = [initial, versions, harvestRuns, paperCategories, embeddings, embeddingsPerModel, people, subscriptions, jobRuns, rateLimits, changeNotices, hyphenCompounds, deferredCategoryTrigger, storedCompounds, inlineSearchVectors];
