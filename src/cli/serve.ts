import { configOrExit, exitOnSchemaError, type Runtime } from './context.ts';

export async function serveCommand(runtime: Runtime): Promise<void> {
  const config = configOrExit();
  try {
    const server = await runtime.serve(config);
    const stop = async () => {
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' || (e as NodeJS.ErrnoException).code === 'EACCES') {
      console.error(`paperboy: cannot listen on ${config.host}:${config.port}: ${(e as Error).message}`);
      process.exit(2);
    }
    exitOnSchemaError(e);
  }
}
