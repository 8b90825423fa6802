import { loadConfig, OPTIONS } from '../config.ts';

export function configCommand(): void {
  const c = loadConfig();
  const width = Math.max(...OPTIONS.map((o) => o.name.length));
  for (const o of OPTIONS) {
    const set = process.env[o.name];
    console.log(`${o.name.padEnd(width)}  ${set ? (o.secret ? '(set, not shown)' : `${set} (set)`) : `${o.default} (default)`}\n${' '.repeat(width + 2)}${o.meaning}`);
  }
  if (!c.ok) {
    for (const e of c.error) console.error(`invalid: ${e}`);
    process.exitCode = 2;
  }
}
