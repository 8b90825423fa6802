// A minimal SMTP server for bench:digest, in its own process (the other core): accepts every
// message, counts them, and prints the count when asked (SIGUSR2) or on exit.
import { SMTPServer } from 'smtp-server';

let received = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, done) {
    stream.on('data', () => {});
    stream.on('end', () => {
      received++;
      done();
    });
  },
});
server.listen(Number(process.env.PORT ?? 2525), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGUSR2', () => process.stdout.write(`received ${received}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
