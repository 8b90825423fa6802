// The `paperboy` command line: one subcommand per file beside this one, each a thin wrapper over
// the functions the server and jobs use. main.ts hands in what only the composition root can build.
import { Command } from 'commander';
import type { Runtime } from './context.ts';
import { configCommand } from './config.ts';
import { embeddingsBackfillCommand, embeddingsStatusCommand } from './embeddings.ts';
import { harvestCommand } from './harvest.ts';
import { ingestCommand } from './ingest.ts';
import { migrateCommand } from './migrate.ts';
import { serveCommand } from './serve.ts';
import { digestPreviewCommand, digestRunCommand } from './digest.ts';
import { mailSendCommand, mailStatusCommand } from './mail.ts';
import { statsCommand } from './stats.ts';
import { backupCommand, exportCommand, importCommand } from './transfer.ts';
import { userRoleCommand } from './users.ts';
import { retrainCommand, trainCommand } from './train.ts';
import { TRAIN_DEFAULTS } from '../embed/train.ts';

export function buildProgram(runtime: Runtime): Command {
  const program = new Command()
    .name('paperboy')
    .description('A self-hostable research-paper feed. Options come from the environment: see `paperboy config`.')
    .showHelpAfterError();

  program.command('serve').description('Start the web server (what `npm start` runs).').action(() => serveCommand(runtime));
  program.command('migrate').description('Apply pending database migrations.').action(migrateCommand);
  program
    .command('ingest')
    .description(
      'Load papers from files: arXiv API Atom, OAI-PMH (arXiv, arXivRaw), the arXiv metadata snapshot, paperboy JSONL, ' +
        'Hugging Face daily_papers JSON; gzip or not; "-" reads stdin. Exit 1 when a file had invalid records.',
    )
    .argument('<files...>', 'files to load')
    .option('--format <format>', 'auto (detect), jsonl, json (an array), atom or oai', 'auto')
    .option('--skip-invalid', 'write the valid records and put the invalid ones in a rejects file')
    .option('--rejects <file>', 'where --skip-invalid writes rejected records (default FILE.rejects.jsonl)')
    .option('--dry-run', 'parse and report what would change, write nothing')
    .action(ingestCommand);
  program
    .command('harvest')
    .description('Fetch papers from arXiv, politely and resumably (after a crash or Ctrl-C the same command resumes).')
    .option('--source <source>', 'arxiv-oai (OAI-PMH, every version) or arxiv-api (search API)', 'arxiv-oai')
    .option('--from <date>', 'first day, YYYY-MM-DD')
    .option('--until <date>', 'last day, YYYY-MM-DD (default: open-ended for OAI, --from for the API)')
    .option('--set <set>', 'OAI-PMH set: an arXiv archive such as cs, math, physics:cond-mat')
    .option('--categories <list>', 'keep only these categories, e.g. cs.LG,cs.CL (the API queries exactly these)')
    .option('--force', 'run again a harvest that already finished')
    .option('--daily', 'run the scheduled daily harvest now (HARVEST_CATEGORIES, HARVEST_SOURCE)')
    .action((opts) => harvestCommand(runtime, opts));
  const embeddings = program.command('embeddings').description('Vectors for semantic search (EMBEDDER, EMBEDDER_MODEL).');
  embeddings.command('status').description('How many papers the configured model has embedded, and whether a reindex is needed.').option('--json', 'print JSON').action(embeddingsStatusCommand);
  embeddings
    .command('backfill')
    .description('Embed every paper the configured model has not, replacing other models\' vectors (resumable: run again after an interruption).')
    .action(embeddingsBackfillCommand);
  embeddings
    .command('train')
    .description('Train a static embedding model on the papers in the store (title -> abstract, in-batch negatives) and write its folder.')
    .requiredOption('--out <dir>', 'folder to write the model to (use it with EMBEDDER=static EMBEDDER_MODEL=DIR)')
    .option('--base <dir>', 'start from these word vectors (a static model folder, e.g. GloVe)')
    .option('--epochs <n>', 'most epochs (stops earlier when validation stops improving)', String(TRAIN_DEFAULTS.epochs))
    .option('--dim <n>', 'dimensions (at least those of --base: its vectors fill the first ones)', String(TRAIN_DEFAULTS.dimensions))
    .option('--vocab <n>', 'most words kept', String(TRAIN_DEFAULTS.vocabSize))
    .option('--buckets <n>', 'hash buckets shared by the words outside the vocabulary (0: ignore such words)', String(TRAIN_DEFAULTS.hashBuckets))
    .option('--seed <n>', 'random seed: same papers and seed give the same model', String(TRAIN_DEFAULTS.seed))
    .option('--threads <n>', 'threads for the batch arithmetic, 1 or 2 (the same model either way)', String(TRAIN_DEFAULTS.threads))
    .option('--compare <dir>', 'also score this model on the same held-out papers, and record which is better in model.json')
    .action(trainCommand);
  embeddings
    .command('retrain')
    .description('Run the scheduled retrain now: train on the site\'s papers from the model in use, switch only if at least as good (default model only).')
    .action(() => retrainCommand(runtime));
  const user = program.command('user').description('Accounts.');
  user.command('promote').description('Make the account with this email address a moderator (admin).').argument('<email>').action((e: string) => userRoleCommand(e, 'admin'));
  user.command('demote').description('Take the moderator role back.').argument('<email>').action((e: string) => userRoleCommand(e, 'user'));
  const mail = program.command('mail').description('The mail outbox (SMTP_URL, or MAIL_DIR when none).');
  mail.command('send').description('Send the queued mail now (the server does it every minute).').action(mailSendCommand);
  mail.command('status').description('Count queued, sent and failed mail.').option('--json', 'print JSON').action(mailStatusCommand);
  const digest = program.command('digest').description('Email digests of trending papers.');
  digest
    .command('preview')
    .description('Render the digest an address would get now, print it, and mail it marked [preview] (nothing is recorded).')
    .requiredOption('--to <email>', 'the subscriber address (without a subscription: a daily digest of everything)')
    .option('--no-send', 'print only')
    .action((opts: { to: string; send?: boolean }) => digestPreviewCommand(runtime, opts));
  digest.command('run').description('Run the digest job now (the server runs it every 5 minutes).').action(() => digestRunCommand(runtime));
  program.command('export').description('Write all data as JSON lines (gzip when FILE ends in .gz), to move it to another database or engine.').argument('[file]', 'where to (default: standard output)', '-').action(exportCommand);
  program.command('import').description('Load an export into this database (empty and migrated), all or nothing; derived indexes rebuild themselves.').argument('<file>', 'an export ("-" = standard input)').action(importCommand);
  program.command('backup').description('Copy the SQLite database into a file while the site runs (PostgreSQL: pg_dump).').argument('<file>').action(backupCommand);
  program.command('stats').description('Print what the database holds.').option('--json', 'print JSON').action(statsCommand);
  program.command('config').description('Print every option, its value in force and its meaning.').action(configCommand);
  return program;
}
