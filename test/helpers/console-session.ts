/**
 * A person signed in to the back-office console over plain HTTP, as a browser does it (the sign-in form with
 * its CSRF token): the Cookie header of the session, for clients that call the console's /codec without a
 * browser (the `temporal` CLI's --codec-header, fetch in tests).
 */
import type { Ledger } from '../../src/activities';
import { People } from '../../src/backoffice/people';
import type { Role } from '../../src/domain/actor';

const PASSWORD = 'a long test password';

/** `name=value` of every cookie a response sets. */
function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]!);
}

/** Create `login` (its one-time password changed) and sign it in to the console at `consoleUrl`: the Cookie header. */
export async function signedInCookie(ledger: Ledger, consoleUrl: string, login: string, role: Role = 'viewer'): Promise<string> {
  const people = new People(ledger.people);
  const { person, oneTimePassword } = await people.createPerson(login, login, role);
  await people.changePassword(person.id, oneTimePassword, PASSWORD);
  const form = await fetch(`${consoleUrl}/sign-in`, { redirect: 'manual' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!csrf) throw new Error('the sign-in page carries no CSRF token');
  const signIn = await fetch(`${consoleUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(form).join('; ') },
    body: new URLSearchParams({ _csrf: csrf, login, password: PASSWORD }).toString(),
  });
  const session = cookiesOf(signIn);
  if (signIn.status !== 303 || session.length === 0) throw new Error(`sign-in as ${login}: ${signIn.status} ${await signIn.text()}`);
  return session.join('; ');
}
