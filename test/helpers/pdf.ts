/**
 * Reading a PDF back in the tests: its text with pdf.js (pdfjs-dist, the text a reader's copy-and-paste
 * gets), its metadata, and a page rendered to PNG by poppler's pdftoppm (Debian's poppler-utils) for a look.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/infra/binaries';

export const SHOTS = join(projectRoot, 'test-results', 'screenshots');
export const PDFTOPPM = process.env.PDFTOPPM_PATH ?? '/usr/bin/pdftoppm';
export const havePdftoppm = existsSync(PDFTOPPM);

/** Each page's text, its items joined as pdf.js lays them out (a line break where a line ends). */
export async function pdfText(pdf: Uint8Array): Promise<{ pages: string[]; info: Record<string, unknown> }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : '') : '')).join(''));
  }
  const meta = await doc.getMetadata();
  await doc.destroy();
  return { pages, info: meta.info as Record<string, unknown> };
}

/** Page 1 as test-results/screenshots/<name>.png (96 dpi); answers its path. */
export function pdfPng(pdf: Uint8Array, name: string): string {
  mkdirSync(SHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'neutrix-pdf-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    execFileSync(PDFTOPPM, ['-png', '-r', '96', '-f', '1', '-l', '1', '-singlefile', join(dir, 'in.pdf'), join(dir, 'out')]);
    const path = join(SHOTS, `${name}.png`);
    copyFileSync(join(dir, 'out.png'), path);
    return path;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const PDFTOTEXT = process.env.PDFTOTEXT_PATH ?? '/usr/bin/pdftotext';
export const havePdftotext = existsSync(PDFTOTEXT);

/** The text as poppler's pdftotext lays it out (-layout): one line of the page per line, so a broken line shows. */
export function pdfLayoutText(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'neutrix-pdf-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    return execFileSync(PDFTOTEXT, ['-layout', '-enc', 'UTF-8', join(dir, 'in.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
