// A file written once: whole, mode 0600, and a second writer changes nothing (the outbox's mails, the key file).
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { OutboxMailer } from '../../src/activities/mail/mailer';
import { writeFileOnce } from '../../src/files';

it('writes a file once, 0600, and a second write leaves the first and no stray file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'files-once-'));
  const path = join(dir, 'x.txt');
  expect(writeFileOnce(path, 'first')).toBe(true);
  expect(writeFileOnce(path, 'second')).toBe(false);
  expect(readFileSync(path, 'utf8')).toBe('first');
  expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(readdirSync(dir)).toEqual(['x.txt']);
});

it('an outbox mail holds the customer’s address, so only the owner may read it; its folder is 0700', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'outbox-')), 'outbox');
  const outbox = new OutboxMailer(dir, 'billing@neutrix.example');
  const sent = await outbox.send({
    noticeId: 'C-1:approved:application',
    contractId: 'C-1',
    kind: 'approved',
    to: { name: '株式会社サンプル', email: 'keiri@example.co.jp' },
    subject: 's',
    text: 't',
  });
  expect(statSync(sent.location!).mode & 0o777).toBe(0o600);
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  expect(readFileSync(sent.location!, 'utf8')).toContain('keiri@example.co.jp');
});
