import { SchemaError } from '../store/store.ts';
import { withStore } from './context.ts';

export async function migrateCommand(): Promise<void> {
  await withStore(async (store) => {
    const applied = await store.migrate(() => new Date().toISOString()).catch((e: Error) => {
      throw new SchemaError(e.message);
    });
    const status = await store.schemaStatus();
    const version = status.state === 'current' ? status.version : '?';
    console.log(applied.length ? `applied migrations ${applied.join(', ')}; schema at version ${version}` : `schema already at version ${version}`);
  }, true);
}
