/** A scenario's bank statement event (issue 29): the file's bytes as the bank sends them, base64; imported on `on`. */
import { z } from 'zod';
import { BANK_FILE_FORMATS } from '../backoffice/bank/bank-file';
import { isoDate } from '../domain/validation';
import { unknownFields } from './unknown-fields';

export const bankStatementEvent = z.strictObject(
  {
    on: isoDate,
    type: z.literal('bankStatement'),
    format: z.enum(BANK_FILE_FORMATS, { error: `expected the file's format: ${BANK_FILE_FORMATS.join(', ')}` }),
    data: z
      .string({ error: 'expected the file as base64 text' })
      .min(1, { message: 'expected the file as base64 text, not empty' })
      .max(20_000_000, { message: 'a bank file of more than 15 MB' })
      .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, { message: 'expected base64 (A–Z a–z 0–9 + /, padded with =)' }),
  },
  { error: unknownFields('in a bankStatement event') },
);
