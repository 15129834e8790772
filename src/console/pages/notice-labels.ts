/** Each customer notice as the back office names it: the message catalogue's words, in the page's language. */
import { noticeWords } from '../../domain/messages';
import type { NoticeKind } from '../../domain/types';
import type { T } from '../html';

export const noticeLabel = (t: T, kind: NoticeKind): string => {
  const w = noticeWords(kind);
  return t(w.ja, w.en);
};
