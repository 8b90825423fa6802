import { StartupError, startServer } from '../main.ts';
import { configOrExit } from './context.ts';

export async function serveCommand(): Promise<void> {
  const config = configOrExit();
  try {
    const { app, url, deps } = await startServer(config);
    deps.log.info(`serving ${url} (database ${config.databaseUrl})`);
    const stop = async () => {
      await app.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (e) {
    if (e instanceof StartupError || (e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`paperboy: cannot start: ${(e as Error).message}`);
      process.exit(2);
    }
    throw e;
  }
}
