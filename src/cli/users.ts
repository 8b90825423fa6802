// `paperboy user promote|demote EMAIL` (moderators) and `paperboy user list`.
import { setRole } from '../people/moderation.ts';
import { withStore } from './context.ts';

export async function userRoleCommand(email: string, role: 'admin' | 'user'): Promise<void> {
  await withStore(async (store) => {
    const user = await setRole(store, email, role, new Date());
    if (!user) {
      console.error(`paperboy: no account has the address ${email}`);
      process.exitCode = 1;
      return;
    }
    console.log(role === 'admin' ? `${user.email} (${user.handle}) is now a moderator` : `${user.email} (${user.handle}) is no longer a moderator`);
  });
}
