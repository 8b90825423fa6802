import { withStore } from './context.ts';

export async function statsCommand(opts: { json?: boolean }): Promise<void> {
  await withStore(async (store, config) => {
    const s = await store.papers.stats();
    if (opts.json) return console.log(JSON.stringify({ database: config.databaseUrl, ...s }));
    console.log(`database       ${config.databaseUrl}`);
    console.log(`papers         ${s.papers}`);
    console.log(`featured days  ${s.featuredDays} (${s.firstFeaturedDay ?? '-'} .. ${s.lastFeaturedDay ?? '-'})`);
    console.log(`authors        ${s.authors}`);
    console.log(`organizations  ${s.organizations}`);
    console.log(`upvotes        ${s.upvotes}`);
  });
}
