/**
 * Price lists (第4条, D-17) and maintenance (第17条) from the console's provider-wide page, for supervisors:
 * each started — or dry-run first, changing nothing — as `neutrix provider start|dry-run` does, through
 * startProviderAction (checked with the domain's schema, audited). A refusal names the field; nothing starts.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { LedgerRefusal, type AuditAccess } from '../backoffice/ledger-client';
import { ProviderActionRefused, startProviderAction } from '../backoffice/provider-actions';
import { jstDateOf, jstLocalToInstant } from '../domain/calendar';
import { actorOf } from './contract-commands';
import { csrfField, html, type Html } from './html';
import { edgeRefusalText } from './contract-words';
import type { Ctx } from './pages/common';
import type { RouteKit } from './route-kit';

const SUPERVISORS = { config: { roles: ['supervisor'] as const } };

const buttons = (c: Ctx) =>
  html`<button type="submit" name="mode" value="dry-run">${c.t('試算のみ (何も変えません)', 'Dry run (changes nothing)')}</button> <button type="submit" name="mode" value="start">${c.t('開始する', 'Start')}</button>`;

/** The two forms on the provider-wide page. */
export function providerStartForms(c: Ctx): Html {
  const { t } = c;
  const requestId = () => html`<input type="hidden" name="requestId" value="console-${randomUUID()}">`;
  return html`<section id="price-list"><h2>${t('料金表の改定を告知 (第4条 D-17)', 'Announce a price list (Art. 4, D-17)')}</h2>
<form method="post" action="/provider-actions/start" id="announce-price-list">${csrfField(c.csrf)}${requestId()}<input type="hidden" name="command" value="announcePriceList">
<label>${t('料金表 (JSON: ', 'The version (JSON: ')}<code>id, effectiveMonth, plans …</code>${t('; CLI の ', '; as for the CLI’s ')}<code>provider start</code>${t(' と同じ形)', ')')} <textarea name="version" rows="8" cols="70" required></textarea></label>${buttons(c)}</form></section>
<section id="maintenance"><h2>${t('メンテナンスを告知 (第17条)', 'Announce maintenance (Art. 17)')}</h2>
<form method="post" action="/provider-actions/start" id="announce-maintenance">${csrfField(c.csrf)}${requestId()}<input type="hidden" name="command" value="announceMaintenance">
<label>${t('開始 (日本時間)', 'From (Japan time)')} <input name="from" type="datetime-local" required></label>
<label>${t('終了 (日本時間)', 'To (Japan time)')} <input name="to" type="datetime-local" required></label>
<label><input name="emergency" type="checkbox" value="yes"> ${t('緊急 (事前告知が間に合わない場合)', 'Emergency (too late to announce beforehand)')}</label>${buttons(c)}</form></section>`;
}

export function providerStartRoutes(app: FastifyInstance, k: RouteKit, d: { client: Client; audit: AuditAccess; taskQueue: string }): void {
  app.post('/provider-actions/start', SUPERVISORS, async (req, reply) => {
    const t = k.t(req);
    const b = k.body(req);
    const requestId = /^[A-Za-z0-9_.:-]{8,128}$/.test(b.requestId ?? '') ? b.requestId! : `console-${randomUUID()}`;
    let action: unknown;
    if (b.command === 'announcePriceList') {
      let version: unknown;
      try {
        version = JSON.parse(b.version ?? '');
      } catch {
        return k.flashAndGo(
          req,
          reply,
          'err',
          t('version: JSON として読めません (何も開始していません)', 'version: not JSON (nothing started)'),
          '/provider-actions',
        );
      }
      action = { command: 'announcePriceList', input: { version } };
    } else
      action = {
        command: 'announceMaintenance',
        input: { from: jstLocalToInstant(b.from ?? ''), to: jstLocalToInstant(b.to ?? ''), emergency: b.emergency === 'yes' },
      };
    try {
      const r = await startProviderAction(
        { client: d.client, audit: d.audit },
        { actor: actorOf(req), requestId, action, dryRun: b.mode !== 'start', today: jstDateOf(Date.now()), taskQueue: d.taskQueue, via: 'console' },
      );
      const text = b.mode === 'start' ? t('開始しました。', 'Started.') : t('試算を開始しました。', 'Dry run started.');
      return k.flashAndGo(req, reply, 'ok', text, `/provider-actions/runs/${encodeURIComponent(r.workflowId)}`);
    } catch (err) {
      if (err instanceof ProviderActionRefused || err instanceof LedgerRefusal)
        return k.flashAndGo(
          req,
          reply,
          'err',
          `${t('受け付けられません (何も開始していません)', 'Not accepted (nothing started)')} — ${edgeRefusalText(t, err)}`,
          '/provider-actions',
        );
      throw err;
    }
  });
}
